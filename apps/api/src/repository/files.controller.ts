import { Body, Controller, Get, Header, Param, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { TokenScopeClass } from '../auth/auth.decorators';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { FileRefQuery, WriteFileDto } from './dto/file.dto';
import { FilePathPipe } from './file-path.pipe';
import { FilesService } from './files.service';
import { Actor, RepositoryActor, RequireCodeRead } from './repository-access.decorator';

const FILE = 'projects/:id/repository/files/:file_path';

@Controller()
@TokenScopeClass('repository_files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get(`${FILE}/raw`)
  @RequireCodeRead()
  @Header('X-Content-Type-Options', 'nosniff') // user content must never be sniffed into HTML by a browser
  raw(@CurrentProject() project: Project, @Param('file_path', FilePathPipe) path: string, @Query() query: FileRefQuery) {
    return this.files.raw(project, path, query);
  }

  @Get(FILE)
  @RequireCodeRead()
  show(@CurrentProject() project: Project, @Param('file_path', FilePathPipe) path: string, @Query() query: FileRefQuery) {
    return this.files.show(project, path, query);
  }

  @Post(FILE)
  @RequireProjectAccess(AccessLevel.Developer)
  create(
    @Actor() actor: RepositoryActor,
    @CurrentProject() project: Project,
    @Param('file_path', FilePathPipe) path: string,
    @Body() dto: WriteFileDto,
  ) {
    return this.files.write(actor, project, path, dto, 'create');
  }

  @Put(FILE)
  @RequireProjectAccess(AccessLevel.Developer)
  update(
    @Actor() actor: RepositoryActor,
    @CurrentProject() project: Project,
    @Param('file_path', FilePathPipe) path: string,
    @Body() dto: WriteFileDto,
  ) {
    return this.files.write(actor, project, path, dto, 'update');
  }
}
