import { ApiProperty } from '@nestjs/swagger';

/** One section of an export: its name in the document and the tables it reads. */
export class ExportSectionView {
  @ApiProperty({ example: 'applications' }) name: string;
  @ApiProperty({ type: [String], example: ['applications', 'application_history'] }) tables: string[];
  @ApiProperty() about: string;
}

/**
 * The outline of `GET /me/export` (sent as an attachment): every section named in
 * `sections` is a key of the document. Their rows keep the API's field names.
 */
export class PersonalDataExportView {
  @ApiProperty({ example: 'exchange-platform/personal-data-export' }) format: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ format: 'date-time' }) exportedAt: string;
  @ApiProperty({ type: 'object', properties: { id: { type: 'string', format: 'uuid' }, role: { type: 'string' } } }) subject: { id: string; role: string };
  @ApiProperty({ type: [ExportSectionView] }) sections: ExportSectionView[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the account' }) profile: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'each with its `history`' }) applications: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'metadata, with `download`: the link of `GET /documents/{id}/content`' }) documents: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what the person did in the records of others' }) authored: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: "the audit log's entries about the person's objects or of what the person did" }) audit: unknown[];
}

/** The outline of `GET /host-families/{id}/export`. */
export class HostFamilyExportView {
  @ApiProperty({ example: 'exchange-platform/personal-data-export' }) format: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ format: 'date-time' }) exportedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the record with its contact data' }) hostFamily: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) vettings: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'dates, statuses and reasons; students by application id only' }) placements: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: "the accounts that act for the family" }) accounts: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) audit: unknown[];
}
