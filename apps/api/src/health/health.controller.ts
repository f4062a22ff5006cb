import { Controller, Get, HttpCode } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { HealthError } from './health-errors';

/** GitLab's health endpoints, outside /api/v4. */
@Controller('-')
@Public()
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get('liveness')
  @HttpCode(200)
  liveness() {
    return { status: 'ok' };
  }

  @Get('readiness')
  async readiness() {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new HealthError('DATABASE_UNREACHABLE');
    }
    return { status: 'ok', master_check: [{ status: 'ok' }] };
  }
}
