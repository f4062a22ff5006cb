import { Module } from '@nestjs/common';
import { BranchesService } from './branches.service';
import { CommitsService } from './commits.service';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { HistoryService } from './history.service';
import { GitHttpAccessService } from './git/git-http-access';
import { GitReceiver } from './git/git-receiver';
import { ProtectedRefsController } from './protected-refs.controller';
import { ProtectedRefsService } from './protected-refs.service';
import { PushEvents } from './push-events';
import { RefWrites } from './git/ref-writes';
import { RefsController } from './refs.controller';
import { CodeReadGuard } from './repository-access.decorator';
import { RepositoryService } from './repository.service';
import { TagsService } from './tags.service';

@Module({
  controllers: [FilesController, RefsController, ProtectedRefsController],
  providers: [
    RepositoryService,
    FilesService,
    BranchesService,
    TagsService,
    CommitsService,
    HistoryService,
    ProtectedRefsService,
    CodeReadGuard,
    PushEvents,
    GitHttpAccessService,
    GitReceiver,
    RefWrites,
  ],
  exports: [RepositoryService, PushEvents, GitHttpAccessService, GitReceiver],
})
export class RepositoryModule {}
