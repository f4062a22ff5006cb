import { Module } from '@nestjs/common';
import { CustomClaimsModule } from '../custom-claims/custom-claims.module';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { RepositoryModule } from '../repository/repository.module';
import { LintController } from './lint.controller';
import { LintService } from './lint.service';

@Module({
  imports: [RepositoryModule, CustomClaimsModule, PipelinesModule],
  controllers: [LintController],
  providers: [LintService],
  exports: [LintService],
})
export class LintModule {}
