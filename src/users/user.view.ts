import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LOCALES, ROLES, type Locale, type Role, type User } from './user.entity.js';

/** A user as the API shows it; never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'staff: employer; student: home institution' })
  institutionId: string | null;
  @ApiPropertyOptional({ format: 'uuid', description: 'students only: same as institutionId' })
  homeInstitutionId?: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) hostFamilyId: string | null;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', properties: { email: { type: 'boolean' } } },
    description: 'the caller\'s own answer only (GET/PATCH /me): the kinds of notification whose e-mail is turned off or on',
  })
  notificationPreferences?: Record<string, { email?: boolean }>;
}

/** The answer for a user: never the password hash; its notification preferences only to that user (`own`). */
export function userView(user: User, options: { own?: boolean } = {}): UserView {
  const view: UserView = {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    institutionId: user.institutionId,
    hostFamilyId: user.hostFamilyId,
    locale: user.locale,
    createdAt: user.createdAt.toISOString(),
  };
  if (user.role === 'student' && user.institutionId) view.homeInstitutionId = user.institutionId;
  if (options.own) view.notificationPreferences = user.notificationPreferences ?? {};
  return view;
}
