import { Global, Module } from '@nestjs/common';
import { CiSettingsService } from './ci-settings.service';

@Global()
@Module({ providers: [CiSettingsService], exports: [CiSettingsService] })
export class CiSettingsModule {}
