import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { SigningKeysService } from './signing-keys.service';

/** The signing keys' public parts and states, rotation, and revocation of a compromised key. */
@Controller('admin/ci/id_token_signing_keys')
@RequireAdmin()
export class SigningKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get()
  list() {
    return this.keys.list();
  }

  @Post()
  add() {
    return this.keys.addNext();
  }

  @Post(':kid/activate')
  @HttpCode(200)
  activate(@Param('kid') kid: string) {
    return this.keys.activate(kid);
  }

  @Post(':kid/retire')
  @HttpCode(200)
  retire(@Param('kid') kid: string) {
    return this.keys.retire(kid);
  }

  @Post(':kid/revoke')
  @HttpCode(200)
  revoke(@Param('kid') kid: string) {
    return this.keys.revoke(kid);
  }
}
