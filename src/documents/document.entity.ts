import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Application } from '../applications/application.entity.js';
import { DOCUMENT_TYPES, type DocumentType } from '../programs/program.entity.js';

export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** An uploaded file of an application. The bytes live under DATA_DIR/documents/<storageKey>. */
@Entity('documents')
@Index('IDX_documents_application', ['applicationId', 'createdAt', 'id'])
export class Document {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application>;

  @Column({ type: 'enum', enum: DOCUMENT_TYPES, enumName: 'document_type' })
  type: DocumentType;

  /** As the student named it (shown, never used as a path). */
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  /** Sniffed from the bytes. */
  @Column({ name: 'media_type', type: 'varchar', length: 50 })
  mediaType: DocumentMediaType;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  /** Server-chosen file name. */
  @Column({ name: 'storage_key', type: 'uuid' })
  storageKey: string;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Who downloaded which document when (exposed by the audit log). */
@Entity('document_downloads')
@Index('IDX_document_downloads_document', ['documentId', 'downloadedAt'])
export class DocumentDownload {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId: string;

  @ManyToOne(() => Document, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id' })
  document?: Relation<Document>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'user_role', type: 'varchar', length: 20 })
  userRole: string;

  @CreateDateColumn({ name: 'downloaded_at', type: 'timestamptz', precision: 3 })
  downloadedAt: Date;
}
