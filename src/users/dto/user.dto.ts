import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { NormalizeEmail, OptionalNotNull, Trim } from '../../common/validation/validators.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password.service.js';
import { LOCALES, ROLES, STAFF_ROLES, type Locale, type Role } from '../user.entity.js';

export class CreateUserDto {
  @ApiProperty({ format: 'email', maxLength: 254 })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ enum: STAFF_ROLES, description: 'admin: any staff role; coordinator: host_school or host_family' })
  @IsIn(STAFF_ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: "required for every role but admin; a coordinator's own institution by default" })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'host_family users: the family they act for' })
  @IsOptional()
  @IsUUID()
  hostFamilyId?: string;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, description: 'without it the person is invited by mail to choose one (POST /auth/set-password)' })
  @IsOptional()
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password?: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'admin only; coordinators always see their own institution' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

/** PATCH /me: only these two; anything else (role, institutionId, email...) is refused. */
export class UpdateMeDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @OptionalNotNull()
  @IsIn(LOCALES)
  locale?: Locale;
}
