import { Controller } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { createToken, listTokens, revokeToken } from './tokens.dto';
import { TokensService } from './tokens.service';

@Controller()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Endpoint(createToken)
  create(@CurrentPrincipal() principal: Principal, @In() input: Input<typeof createToken>) {
    return this.tokens.create(principal, input.body, input.idempotencyKey);
  }

  @Endpoint(listTokens)
  list(@In() { query }: Input<typeof listTokens>) {
    return this.tokens.list(query);
  }

  @Endpoint(revokeToken)
  revoke(@In() { params }: Input<typeof revokeToken>) {
    return this.tokens.revoke(params.id);
  }
}
