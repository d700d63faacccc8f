import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { DocumentType } from '../programs/program.entity.js';
import { Document, DocumentDownload } from './document.entity.js';

/** Queries of documents and their downloads; each takes part in the caller's transaction when one is open. */
@Injectable()
export class DocumentsRepository {
  constructor(private readonly tx: TransactionHost) {}

  findById(id: string): Promise<Document | null> {
    return this.tx.manager.findOne(Document, { where: { id } });
  }

  /** The document types uploaded for an application. */
  async typesOf(applicationId: string): Promise<string[]> {
    const rows = (await this.tx.manager
      .createQueryBuilder(Document, 'document')
      .select('DISTINCT document.type', 'type')
      .where('document.applicationId = :applicationId', { applicationId })
      .getRawMany()) as { type: string }[];
    return rows.map((row) => row.type);
  }

  /** How many documents an application holds (read under its row lock when a new one is to be added). */
  countOf(applicationId: string): Promise<number> {
    return this.tx.manager.count(Document, { where: { applicationId } });
  }

  /** An application's documents in upload order, of the given types only unless 'all'. */
  listOf(applicationId: string, types: readonly DocumentType[] | 'all'): Promise<Document[]> {
    return this.tx.manager.find(Document, {
      where: { applicationId, ...(types === 'all' ? {} : { type: In([...types]) }) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Inside the transaction that holds the application's row lock. */
  async insert(values: Omit<Document, 'id' | 'createdAt' | 'application'>): Promise<string> {
    const result = await this.tx.required.insert(Document, values);
    return result.identifiers[0].id as string;
  }

  async delete(id: string): Promise<void> {
    await this.tx.required.delete(Document, { id });
  }

  async recordDownload(download: Pick<DocumentDownload, 'documentId' | 'userId' | 'userRole'>): Promise<void> {
    await this.tx.run(() => this.tx.required.insert(DocumentDownload, download));
  }
}
