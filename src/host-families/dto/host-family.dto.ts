import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO31661Alpha2, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsCalendarDate } from '../../common/validation/dates.js';
import { NestedObject, NormalizeEmail, OptionalNotNull, ToInteger, Trim } from '../../common/validation/validators.js';
import { GENDER_PREFERENCES, HOST_FAMILY_STATUSES, VETTING_OUTCOMES, type GenderPreference, type HostFamilyStatus, type VettingOutcome } from '../host-family.entity.js';

const LANGUAGE = /^[a-z]{2}$/;
const PHONE = /^\+?[0-9 ().-]{5,40}$/;

/** Lower-cases and trims each word of a list (pets and diets are compared with students' allergies and diets). */
const LowerCaseEach = () => Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value));

export class AddressDto {
  @ApiProperty({ maxLength: 200, example: '12 rue Stanislas' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line1: string;

  @ApiProperty({ maxLength: 100, example: 'Nancy' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  @ApiProperty({ maxLength: 20, example: '54000' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  postalCode: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'FR' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsISO31661Alpha2()
  country: string;
}

/** The record of a family, as its coordinators give it; every field may be changed later. */
class HostFamilyFieldsDto {
  @ApiProperty({ maxLength: 200, example: 'Famille Martin' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ format: 'email', maxLength: 254 })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  contactEmail: string;

  @ApiProperty({ example: '+33 3 83 00 00 00' })
  @Trim()
  @IsString()
  @Matches(PHONE, { message: '$property must be a phone number (digits, spaces, + ( ) . -)' })
  contactPhone: string;

  @ApiProperty({ type: AddressDto })
  @NestedObject(() => AddressDto)
  address: AddressDto;

  @ApiProperty({ minimum: 1, maximum: 20, description: 'beds for students' })
  @IsInt()
  @Min(1)
  @Max(20)
  capacity: number;

  @ApiProperty({ type: [String], description: 'ISO 639-1 codes spoken at home', example: ['fr', 'en'] })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(LANGUAGE, { each: true, message: 'each value in $property must be an ISO 639-1 language code' })
  languages: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  hasPets?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['cat'], description: 'compared with students’ allergies; a family with pets of no stated type is kept from any student allergic to pets' })
  @IsOptional()
  @LowerCaseEach()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  petTypes?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  smokingHousehold?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['vegetarian', 'halal'] })
  @IsOptional()
  @LowerCaseEach()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  dietsSupported?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  acceptsMinors?: boolean;

  @ApiPropertyOptional({ enum: GENDER_PREFERENCES, default: 'any' })
  @IsOptional()
  @IsIn(GENDER_PREFERENCES)
  genderPreference?: GenderPreference;

  @ApiProperty({ format: 'date', example: '2027-09-01' })
  @IsCalendarDate()
  availableFrom: string;

  @ApiProperty({ format: 'date', example: '2028-06-30' })
  @IsCalendarDate()
  availableTo: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 600, nullable: true, type: Number, description: 'to the managing institution, door to door' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  commuteMinutes?: number | null;
}

export class CreateHostFamilyDto extends HostFamilyFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', description: "the managing institution: required for admins, a coordinator's own by default" })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

/** Any subset. A family's own users may send only availableFrom, availableTo and capacity. */
export class UpdateHostFamilyDto {
  @ApiPropertyOptional({ maxLength: 200 }) @OptionalNotNull() @Trim() @IsString() @IsNotEmpty() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ format: 'email' }) @OptionalNotNull() @NormalizeEmail() @IsEmail() @MaxLength(254) contactEmail?: string;
  @ApiPropertyOptional() @OptionalNotNull() @Trim() @IsString() @Matches(PHONE, { message: '$property must be a phone number (digits, spaces, + ( ) . -)' }) contactPhone?: string;

  @ApiPropertyOptional({ type: AddressDto })
  @OptionalNotNull()
  @NestedObject(() => AddressDto)
  address?: AddressDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 20 }) @OptionalNotNull() @IsInt() @Min(1) @Max(20) capacity?: number;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(LANGUAGE, { each: true, message: 'each value in $property must be an ISO 639-1 language code' })
  languages?: string[];

  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() hasPets?: boolean;
  @ApiPropertyOptional({ type: [String] }) @OptionalNotNull() @LowerCaseEach() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(50, { each: true }) petTypes?: string[];
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() smokingHousehold?: boolean;
  @ApiPropertyOptional({ type: [String] }) @OptionalNotNull() @LowerCaseEach() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(50, { each: true }) dietsSupported?: string[];
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() acceptsMinors?: boolean;
  @ApiPropertyOptional({ enum: GENDER_PREFERENCES }) @OptionalNotNull() @IsIn(GENDER_PREFERENCES) genderPreference?: GenderPreference;
  @ApiPropertyOptional({ format: 'date' }) @OptionalNotNull() @IsCalendarDate() availableFrom?: string;
  @ApiPropertyOptional({ format: 'date' }) @OptionalNotNull() @IsCalendarDate() availableTo?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 600, nullable: true, type: Number, description: 'null: unknown' }) @IsOptional() @IsInt() @Min(0) @Max(600) commuteMinutes?: number | null;
}

export class VetHostFamilyDto {
  @ApiProperty({ format: 'date', description: 'not in the future; the vetting is valid 12 months from it' })
  @IsCalendarDate()
  backgroundCheckOn: string;

  @ApiProperty({ format: 'date', description: 'not in the future' })
  @IsCalendarDate()
  homeVisitOn: string;

  @ApiProperty({ enum: VETTING_OUTCOMES })
  @IsIn(VETTING_OUTCOMES)
  outcome: VettingOutcome;

  @ApiPropertyOptional({ maxLength: 5000, default: '' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class ListHostFamiliesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: HOST_FAMILY_STATUSES })
  @IsOptional()
  @IsIn(HOST_FAMILY_STATUSES)
  status?: HostFamilyStatus;

  @ApiPropertyOptional({ format: 'date', description: 'available on that day' })
  @IsOptional()
  @IsCalendarDate()
  availableOn?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: 'at least this many beds free on availableOn (today when not given)' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(20)
  capacityFree?: number;

  @ApiPropertyOptional({ description: 'ISO 639-1: spoken at home', example: 'fr' })
  @IsOptional()
  @Matches(LANGUAGE, { message: '$property must be an ISO 639-1 language code such as fr' })
  language?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'part of the name, any case' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'admins: one institution' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

export class VettingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) backgroundCheckOn: string;
  @ApiProperty({ format: 'date' }) homeVisitOn: string;
  @ApiProperty({ enum: VETTING_OUTCOMES }) outcome: VettingOutcome;
  @ApiProperty({ nullable: true, type: String, description: 'coordinators and admins only' }) notes: string | null;
  @ApiProperty({ format: 'date', description: 'backgroundCheckOn + 12 months' }) expiresOn: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty() recorderRole: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class AddressView {
  @ApiProperty() line1: string;
  @ApiProperty() city: string;
  @ApiProperty() postalCode: string;
  @ApiProperty() country: string;
}

export class HostFamilyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty() displayName: string;
  @ApiProperty() contactEmail: string;
  @ApiProperty() contactPhone: string;
  @ApiProperty({ type: AddressView }) address: AddressView;
  @ApiProperty() capacity: number;
  @ApiProperty({ type: [String] }) languages: string[];
  @ApiProperty() hasPets: boolean;
  @ApiProperty({ type: [String] }) petTypes: string[];
  @ApiProperty() smokingHousehold: boolean;
  @ApiProperty({ type: [String] }) dietsSupported: string[];
  @ApiProperty() acceptsMinors: boolean;
  @ApiProperty({ enum: GENDER_PREFERENCES }) genderPreference: GenderPreference;
  @ApiProperty({ format: 'date' }) availableFrom: string;
  @ApiProperty({ format: 'date' }) availableTo: string;
  @ApiProperty({ nullable: true, type: Number }) commuteMinutes: number | null;
  @ApiProperty({ enum: HOST_FAMILY_STATUSES }) status: HostFamilyStatus;
  @ApiProperty({ description: 'approved with a vetting valid today: matched and placed' }) vetted: boolean;
  @ApiProperty({ format: 'date', nullable: true, type: String }) vettingExpiresOn: string | null;
  @ApiProperty({ description: 'the latest vetting has run out: the family counts as unvetted' }) vettingExpired: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'staff only' }) suspensionReason?: string | null;
  @ApiProperty({ type: [String], description: 'vet outcomes and suspend this caller could take now' }) allowedTransitions: string[];
  @ApiPropertyOptional({ type: [VettingView], description: 'GET /host-families/{id} for staff: every vetting, newest first' }) vettings?: VettingView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
