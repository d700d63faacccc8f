import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsISO31661Alpha2, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { CanonicalTimeZone, IsTimeZone, Trim } from '../../common/validation/validators.js';
import { INSTITUTION_KINDS, type InstitutionKind } from '../institution.entity.js';

export class CreateInstitutionDto {
  @ApiProperty({ maxLength: 200, example: 'Université de Lorraine' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ maxLength: 50, example: 'UL' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  shortName: string;

  @ApiProperty({ maxLength: 100, example: 'Nancy' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'FR' })
  @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ enum: INSTITUTION_KINDS })
  @IsIn(INSTITUTION_KINDS)
  kind: InstitutionKind;

  @ApiProperty({ description: 'IANA time zone', example: 'Europe/Paris' })
  @CanonicalTimeZone()
  @IsTimeZone()
  timezone: string;

  @ApiPropertyOptional({ example: 'univ-lorraine.fr', nullable: true, type: String })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { message: '$property must be a SCHAC home organisation (a domain name)' })
  @MaxLength(100)
  schacCode?: string | null;

  @ApiPropertyOptional({ example: 'F NANCY43', nullable: true, type: String })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  erasmusCode?: string | null;
}

export class UpdateInstitutionDto extends PartialType(CreateInstitutionDto) {}

export class ListInstitutionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;

  @ApiPropertyOptional({ enum: INSTITUTION_KINDS })
  @IsOptional()
  @IsIn(INSTITUTION_KINDS)
  kind?: InstitutionKind;
}

export class InstitutionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() shortName: string;
  @ApiProperty() city: string;
  @ApiProperty() country: string;
  @ApiProperty({ enum: INSTITUTION_KINDS }) kind: InstitutionKind;
  @ApiProperty() timezone: string;
  @ApiProperty({ nullable: true, type: String }) schacCode: string | null;
  @ApiProperty({ nullable: true, type: String }) erasmusCode: string | null;
}
