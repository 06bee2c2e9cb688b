import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { ApiErrorDto } from '../../http/api-error.dto';
import { uuidPipe } from '../../http/uuid.pipe';
import { InventoryCrudController } from '../common/inventory-crud.controller';
import { CreatePolicyDto, PolicyDto, PolicyPageDto, PolicyQueryDto, UpdatePolicyDto } from './policy.dto';
import { PolicyService } from './policy.service';

const ENGINE_CHECK =
  'Each setting is range-checked, then the whole policy is checked as the decision engine reads it ' +
  '(e.g. flapOnBatteryBudgetSeconds not above flapWindowSeconds): a 400 names the field and the reason.';

@ApiTags('policies')
@Controller('policies')
export class PolicyController extends InventoryCrudController({
  service: PolicyService,
  dto: PolicyDto,
  pageDto: PolicyPageDto,
  queryDto: PolicyQueryDto,
  createDto: CreatePolicyDto,
  updateDto: UpdatePolicyDto,
  writeRole: 'operator',
  list: { summary: 'List policies by name (cursor pagination)' },
  get: { summary: 'One policy' },
  create: {
    summary: 'Create a policy (settings left out take their documented default)',
    description: `${ENGINE_CHECK} isDefault is read-only: see POST /policies/{id}/make-default.`,
    conflict: true,
    unprocessable: true,
  },
  update: {
    summary: 'Change a policy (only the fields sent)',
    description:
      `${ENGINE_CHECK} The default policy is changed like any other, and what is stored is what every host ` +
      'without a policy of its own or of its group follows from the next evaluation. isDefault is read-only.',
    conflict: true,
  },
  remove: {
    summary: 'Delete a policy; hosts and groups using it then follow the default policy',
    description:
      'Hosts and groups that used the policy are left without one (their policyId becomes null) and from then on ' +
      'follow the default policy; the audit entry records how many. The default policy cannot be deleted (409): ' +
      'make another policy the default first.',
    conflict: true,
  },
}) {
  public constructor(private readonly policies: PolicyService) {
    super(policies);
  }

  @Post(':id/make-default')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Make this policy the default (admin)',
    description:
      'Hosts without a policy of their own or of their group follow the default policy. The flag moves from the ' +
      'previous default in one transaction, so exactly one policy is the default at any time; audited as ' +
      'policy.makeDefault. Making the default the default changes nothing.',
  })
  @ApiOkResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public makeDefault(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<PolicyDto> {
    return this.policies.makeDefault(id, audit);
  }
}
