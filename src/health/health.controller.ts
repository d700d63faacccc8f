import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';

const READY_TIMEOUT_MS = 1000;

/** Liveness (the process answers) and readiness (the database answers). Outside /api/v1. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /**
   * 503 when the database does not answer within a second, however it fails: refused,
   * unreachable, or hung (a connection never accepted, a query that never returns). The
   * query itself is left to end on its own: a connection not made fails at the pool's
   * connectionTimeoutMillis, a query on a hung server returns when it resumes or its
   * connection breaks.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the database did not answer in time')), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), late]);
      return { status: 'ok', database: 'up' };
    } catch {
      reply.status(503);
      return { status: 'unavailable', database: 'down' };
    } finally {
      clearTimeout(timer);
    }
  }
}
