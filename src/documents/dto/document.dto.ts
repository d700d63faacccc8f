import { ApiProperty } from '@nestjs/swagger';
import { DOCUMENT_TYPES, type DocumentType } from '../../programs/program.entity.js';
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from '../document.entity.js';

export class UploadDocumentBody {
  @ApiProperty({ enum: DOCUMENT_TYPES }) type: DocumentType;
  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF, JPEG or PNG, at most 10 MiB' }) file: unknown;
}

export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ enum: DOCUMENT_TYPES }) type: DocumentType;
  @ApiProperty() fileName: string;
  @ApiProperty({ enum: DOCUMENT_MEDIA_TYPES }) mediaType: DocumentMediaType;
  @ApiProperty({ description: 'bytes' }) size: number;
  @ApiProperty({ description: 'hex' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
