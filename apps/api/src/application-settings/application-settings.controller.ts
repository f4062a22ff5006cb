import { Body, Controller, Get, Put } from '@nestjs/common';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { ApplicationSettingsService } from './application-settings.service';
import { UpdateApplicationSettingsDto } from './dto/update-application-settings.dto';

/** GitLab's `GET/PUT /application/settings` (admin), with the settings Lanyard has. */
@Controller('application/settings')
@RequireAdmin()
export class ApplicationSettingsController {
  constructor(private readonly settings: ApplicationSettingsService) {}

  @Get()
  show() {
    return this.settings.show();
  }

  @Put()
  update(@Body() dto: UpdateApplicationSettingsDto) {
    return this.settings.update(dto);
  }
}
