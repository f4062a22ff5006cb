import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { PageQuery } from '../common/pagination';
import { ClaimNamesService } from './claim-names.service';
import { RegisterClaimNameDto } from './dto/claim-name.dto';

/** The instance's registry of custom claim names: which top-level group alone may set each one (admins). */
@Controller('admin/ci/id_token_claim_names')
@RequireAdmin()
export class ClaimNamesController {
  constructor(private readonly names: ClaimNamesService) {}

  @Get()
  list(@Query() page: PageQuery) {
    return this.names.list(page);
  }

  @Post()
  register(@Caller() caller: CallerType, @Body() dto: RegisterClaimNameDto) {
    return this.names.register(caller, dto);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string) {
    return this.names.remove(name);
  }
}
