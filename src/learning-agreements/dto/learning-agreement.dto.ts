import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TransitionDto } from '../../common/dto/transition.dto.js';
import { AtMostOneDecimal, NestedObject, Trim } from '../../common/validation/validators.js';
import { SIGNATORIES, type Signatory } from '../learning-agreement.entity.js';
import { LEARNING_AGREEMENT_STATUSES, type LearningAgreementStatus } from '../learning-agreement.rules.js';

export class ComponentDto {
  @ApiProperty({ maxLength: 50, example: 'ECO-301' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(50) code: string;
  @ApiProperty({ maxLength: 300, example: 'Public economics' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(300) title: string;
  @ApiProperty({ minimum: 0, maximum: 60, example: 6, description: 'ECTS credits' }) @IsNumber({ allowNaN: false, allowInfinity: false }) @AtMostOneDecimal() @Min(0) @Max(60) credits: number;
  @ApiProperty({ maxLength: 50, example: 'autumn 2027' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(50) term: string;
}

export class PutLearningAgreementDto {
  @ApiProperty({ type: [ComponentDto], description: 'to study at the receiving institution' })
  @IsArray()
  @ArrayMaxSize(50)
  @NestedObject(() => ComponentDto, { each: true })
  components: ComponentDto[];

  @ApiProperty({ type: [ComponentDto], description: 'recognised at the home institution' })
  @IsArray()
  @ArrayMaxSize(50)
  @NestedObject(() => ComponentDto, { each: true })
  recognizedComponents: ComponentDto[];
}

export class SignLearningAgreementDto extends TransitionDto {
  @ApiPropertyOptional({ enum: SIGNATORIES, description: 'admins only: the party they sign for' })
  @IsOptional()
  @IsIn(SIGNATORIES)
  party?: Signatory;
}

export class SignatureView {
  @ApiProperty({ enum: SIGNATORIES }) party: Signatory;
  @ApiProperty({ format: 'uuid' }) signedBy: string;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
}

export class LearningAgreementView {
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: LEARNING_AGREEMENT_STATUSES }) status: LearningAgreementStatus;
  @ApiProperty({ type: [ComponentDto] }) components: ComponentDto[];
  @ApiProperty({ type: [ComponentDto] }) recognizedComponents: ComponentDto[];
  @ApiProperty({ type: [SignatureView] }) signatures: SignatureView[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'when a later change replaced it; null for the current version' }) supersededAt: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
