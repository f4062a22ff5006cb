import { Module } from '@nestjs/common';
import { CustomClaimsModule } from '../custom-claims/custom-claims.module';
import { RepositoryModule } from '../repository/repository.module';
import { LintController } from './lint.controller';
import { LintService } from './lint.service';

@Module({
  imports: [RepositoryModule, CustomClaimsModule],
  controllers: [LintController],
  providers: [LintService],
  exports: [LintService],
})
export class LintModule {}
