import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { Caller, Public, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CreateRunnerDto, UpdateRunnerDto, VerifyRunnerDto } from './dto/create-runner.dto';
import { RunnersService } from './runners.service';

@Controller()
export class RunnersController {
  constructor(private readonly runners: RunnersService) {}

  @Post('user/runners')
  @TokenScopeClass('user_runners')
  create(@Caller() caller: CallerType, @Body() dto: CreateRunnerDto) {
    return this.runners.create(caller, dto);
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
