import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { NormalizeEmail, Trim } from '../../common/validation/validators.js';
import { LOCALES, type Locale } from '../../users/user.entity.js';
import { UserView } from '../../users/user.view.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../password.service.js';

/** Students register themselves; nothing here can choose a role. */
export class RegisterDto {
  @ApiProperty({ format: 'email', maxLength: 254 })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password: string;

  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ format: 'uuid', description: 'GET /institutions lists them' })
  @IsUUID()
  homeInstitutionId: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'en' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class LoginDto {
  @ApiProperty({ format: 'email' })
  @NormalizeEmail()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'ends this session; without it, every session of the user ends' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken?: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'the code of the invitation mail' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password: string;
}

export class SessionView {
  @ApiProperty({ description: 'JWT, 15 minutes' }) accessToken: string;
  @ApiProperty({ description: 'opaque; single use, rotated by POST /auth/refresh' }) refreshToken: string;
  @ApiProperty({ example: 900 }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}

