import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { Caller, Public, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CreateRunnerDto, UnregisterRunnerManagerDto, UpdateRunnerDto, VerifyRunnerDto } from './dto/create-runner.dto';
import { RunnersService } from './runners.service';

@Controller()
export class RunnersController {
  constructor(private readonly runners: RunnersService) {}

  @Post('user/runners')
  @TokenScopeClass('user_runners')
  create(@Caller() caller: CallerType, @Body() dto: CreateRunnerDto) {
    return this.runners.create(caller, dto);
  }

  /** gitlab-runner's `UnregisterRunner`: the runner's token in the body. */
  @Delete('runners')
  @Public()
  @HttpCode(204)
  unregister(@Body() dto: VerifyRunnerDto) {
    return this.runners.unregister(dto.token);
  }

  /** gitlab-runner's `UnregisterRunnerManager`; declared before `runners/:id` routes so `managers` is no id. */
  @Delete('runners/managers')
  @Public()
  @HttpCode(204)
  unregisterManager(@Body() dto: UnregisterRunnerManagerDto) {
    return this.runners.unregisterManager(dto.token);
  }

  @Get('runners/:id')
  show(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.runners.show(caller, id);
  }

  @Put('runners/:id')
  update(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateRunnerDto) {
    return this.runners.update(caller, id, dto);
  }

  /** Runners authenticate with the token in the body, not a personal access token. */
  @Post('runners/verify')
  @Public()
  @HttpCode(200)
  verify(@Body() dto: VerifyRunnerDto) {
    return this.runners.verify(dto.token);
  }
}
