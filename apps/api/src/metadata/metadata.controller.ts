import { Controller, Get } from '@nestjs/common';
import { TokenScopeClass } from '../auth/auth.decorators';
import { INSTANCE_METADATA } from './instance-metadata';

/** GitLab's `API::Metadata`: any authenticated user, with a `read_user` token as well. */
@Controller()
@TokenScopeClass('metadata')
export class MetadataController {
  @Get('metadata')
  metadata() {
    return INSTANCE_METADATA;
  }

  /** Deprecated by GitLab in 15.5 in favour of `/metadata`, and answered identically. */
  @Get('version')
  version() {
    return INSTANCE_METADATA;
  }
}
