import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ENTITIES } from './all-entities';
import { ApplicationSettingsModule } from './application-settings/application-settings.module';
import { AuthModule } from './auth/auth.module';
import { BuildsModule } from './builds/builds.module';
import { CiSettingsModule } from './ci-settings/ci-settings.module';
import type { Clock } from './clock/clock';
import { ClockModule } from './clock/clock.module';
import { CustomClaimsModule } from './custom-claims/custom-claims.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { PaginationInterceptor } from './common/pagination.interceptor';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseConnection, buildDataSourceOptions } from './database/data-source-options';
import { EnvironmentsModule } from './environments/environments.module';
import { HealthModule } from './health/health.module';
import { answerFor } from './http-errors/error-table';
import { IdTokenPreviewModule } from './id-token-preview/id-token-preview.module';
import { IdTokensModule } from './id-tokens/id-tokens.module';
import { JobLogsModule } from './job-logs/job-logs.module';
import { PickupModule } from './pickup/pickup.module';
import { LintModule } from './lint/lint.module';
import { MembersModule } from './members/members.module';
import { MetadataModule } from './metadata/metadata.module';
import { MetricsModule } from './metrics/metrics.module';
import { MergeRequestsModule } from './merge-requests/merge-requests.module';
import { NamespacesModule } from './namespaces/namespaces.module';
import { OidcModule } from './oidc/oidc.module';
import { PipelineProgressService } from './pipelines/pipeline-progress.service';
import { PipelinesModule } from './pipelines/pipelines.module';
import { ProjectsModule } from './projects/projects.module';
import { RepositoryModule } from './repository/repository.module';
import { GitStorageModule } from './repository/git/git-storage.module';
import { RunnersModule } from './runners/runners.module';
import { UsersModule } from './users/users.module';
import { VariablesModule } from './variables/variables.module';

@Module({})
export class AppModule {
  static register(config: AppConfig, database: DatabaseConnection, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(database, ENTITIES), retryAttempts: 3, retryDelay: 1000 }),
        AuthModule,
        HealthModule,
        MetricsModule,
        MetadataModule,
        UsersModule,
        NamespacesModule,
        ProjectsModule,
        GitStorageModule,
        RepositoryModule,
        MembersModule,
        VariablesModule,
        CiSettingsModule,
        CustomClaimsModule,
        RunnersModule,
        PipelinesModule,
        MergeRequestsModule,
        BuildsModule,
        JobLogsModule,
        LintModule,
        IdTokensModule.register({ imports: [PipelinesModule], pipelineProgress: PipelineProgressService }),
        OidcModule,
        PickupModule,
        IdTokenPreviewModule,
        EnvironmentsModule,
        ApplicationSettingsModule,
      ],
      providers: [
        { provide: APP_FILTER, useFactory: () => new HttpExceptionFilter(answerFor) },
        { provide: APP_INTERCEPTOR, useClass: PaginationInterceptor },
      ],
    };
  }
}
