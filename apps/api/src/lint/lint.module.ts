import { Module } from '@nestjs/common';
import { RepositoryModule } from '../repository/repository.module';
import { LintController } from './lint.controller';
import { LintService } from './lint.service';

@Module({ imports: [RepositoryModule], controllers: [LintController], providers: [LintService] })
export class LintModule {}
