import { Controller, Get, Redirect, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

import { type ApiRequest } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { RequireRole } from '../auth/require-role.decorator';

export class SessionDto {
  @ApiProperty() public tokenName!: string;
  @ApiProperty({ enum: ['viewer', 'operator', 'admin'] }) public role!: string;
}

@ApiTags('auth')
@Controller()
export class DashboardController {
  @Get()
  @Public()
  @Redirect('/ui/', 302)
  @ApiExcludeEndpoint()
  public root(): void {
    // The dashboard lives at /ui/.
  }

  @Get('auth/session')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'Who the bearer token is: its name and role (the dashboard shows only what the role may do)',
  })
  @ApiOkResponse({ type: SessionDto })
  public session(@Req() request: ApiRequest): SessionDto {
    const principal = request.principal;
    return { tokenName: principal?.tokenName ?? '', role: principal?.role ?? 'viewer' };
  }
}
