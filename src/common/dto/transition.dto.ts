import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../validation/validators.js';

/** Body of `POST /<resource>/{id}/<transition>` (SPEC section 5). */
export class TransitionDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'required by reject, cancel and terminate' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
}
