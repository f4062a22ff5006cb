import { Module } from '@nestjs/common';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { RunnersModule } from '../runners/runners.module';
import { PickupController } from './pickup.controller';
import { PickupService } from './pickup.service';

@Module({ imports: [PipelinesModule, RunnersModule], controllers: [PickupController], providers: [PickupService] })
export class PickupModule {}
