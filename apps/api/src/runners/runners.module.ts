import { Module } from '@nestjs/common';
import { RunnerChangeListener } from './runner-change-listener';
import { RunnerListsService } from './runner-lists.service';
import { RunnersController } from './runners.controller';
import { RunnersService } from './runners.service';

@Module({
  controllers: [RunnersController],
  providers: [RunnersService, RunnerListsService, RunnerChangeListener],
  exports: [RunnersService],
})
export class RunnersModule {}
