import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Caller, Public, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CreateRunnerDto, VerifyRunnerDto } from './dto/create-runner.dto';
import { RunnersService } from './runners.service';

@Controller()
export class RunnersController {
  constructor(private readonly runners: RunnersService) {}

  @Post('user/runners')
  @TokenScopeClass('user_runners')
  create(@Caller() caller: CallerType, @Body() dto: CreateRunnerDto) {
    return this.runners.create(caller, dto);
  }

  /** Runners authenticate with the token in the body, not a personal access token. */
  @Post('runners/verify')
  @Public()
  @HttpCode(200)
  verify(@Body() dto: VerifyRunnerDto) {
    return this.runners.verify(dto.token);
  }
}
