import { Module } from '@nestjs/common';
import { VariablesController } from './variables.controller';
import { CiVariablesService } from './variables.service';

@Module({ controllers: [VariablesController], providers: [CiVariablesService], exports: [CiVariablesService] })
export class VariablesModule {}
