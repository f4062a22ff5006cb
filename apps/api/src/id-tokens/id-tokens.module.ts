import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { AudienceSecretsService } from './audience-secrets.service';
import { IdTokenService } from './id-token.service';
import { IssuancesController } from './issuances.controller';
import { IssuancesService } from './issuances.service';
import { KeyChangeListener } from './key-change-listener';
import { KeyStore } from './key-store';
import { PIPELINE_PROGRESS, PipelineProgress } from './pipeline-progress';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysService } from './signing-keys.service';

export interface IdTokensOptions {
  /** What moves a pipeline on once a key's revocation failed some of its jobs. */
  readonly pipelineProgress: Type<PipelineProgress>;
  /** The modules that export `pipelineProgress`. */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
}

/** Keys, JWKS, signing and the issuance audit; global, as the pickup, lint and pipeline creation use it. */
@Module({})
export class IdTokensModule {
  /** Called by the app's wiring, which names the pipelines code id-tokens needs and so does not import. */
  static register(options: IdTokensOptions): DynamicModule {
    return {
      module: IdTokensModule,
      global: true,
      imports: options.imports,
      controllers: [SigningKeysController, IssuancesController],
      providers: [
        KeyStore,
        KeyChangeListener,
        SigningKeysService,
        IdTokenService,
        IssuancesService,
        AudienceSecretsService,
        { provide: PIPELINE_PROGRESS, useExisting: options.pipelineProgress },
      ],
      exports: [KeyStore, SigningKeysService, IdTokenService, AudienceSecretsService],
    };
  }
}
