import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { NormalizeEmail, OptionalNotNull, predicateDecorator, Trim } from '../../common/validation/validators.js';
import { NOTIFICATION_KINDS } from '../../notifications/notification.entity.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password.service.js';
import { LOCALES, ROLES, STAFF_ROLES, type Locale, type Role } from '../user.entity.js';

/** `{ "<kind>": { "email": true|false } }`: known kinds only, and nothing but `email` in each. */
const IsNotificationPreferences = predicateDecorator('notificationPreferences', '$property must map known kinds of notification to {"email": true|false}', (value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value as Record<string, unknown>).every(
    ([kind, preference]) =>
      (NOTIFICATION_KINDS as readonly string[]).includes(kind) &&
      preference !== null &&
      typeof preference === 'object' &&
      !Array.isArray(preference) &&
      Object.entries(preference as Record<string, unknown>).every(([key, flag]) => key === 'email' && typeof flag === 'boolean'),
  );
});

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

/** PATCH /me: only these; anything else (role, institutionId, email...) is refused. */
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

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', properties: { email: { type: 'boolean' } }, additionalProperties: false },
    description: `per kind of notification (${NOTIFICATION_KINDS.join(', ')}): {"email": false} turns its e-mails off (never the in-app copy); the kinds given replace their earlier choice, the others are kept`,
    example: { 'application.nominated': { email: false } },
  })
  @OptionalNotNull()
  @IsNotificationPreferences()
  notificationPreferences?: Record<string, { email?: boolean }>;
}
