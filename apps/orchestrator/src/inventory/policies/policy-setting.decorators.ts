import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, ValidateBy, ValidateIf } from 'class-validator';

import { IntRange } from '../common/int-field';
import { POLICY_SETTINGS, type PolicySetting, type PolicySettingField } from './policy-settings';

function schemaOf(setting: PolicySetting): Record<string, unknown> {
  switch (setting.kind) {
    case 'int':
      return {
        type: 'integer',
        minimum: setting.min,
        maximum: setting.max,
        ...(setting.nullable ? { nullable: true } : {}),
      };
    case 'bool':
      return { type: Boolean };
    case 'enum':
      return { enum: Object.values(setting.values) };
  }
}

function validatorOf(setting: PolicySetting): PropertyDecorator {
  switch (setting.kind) {
    case 'int':
      return IntRange(setting.min, setting.max);
    case 'bool':
      return IsBoolean({ message: 'must be true or false' });
    case 'enum':
      return IsEnum(setting.values, { message: `must be one of ${Object.values(setting.values).join(', ')}` });
  }
}

/**
 * A writable setting: optional (left out = the column default on create, unchanged on update);
 * null only where the setting can be off. Listed in the order stacked decorators run (bottom up).
 */
export function SettingInput(field: PolicySettingField): PropertyDecorator {
  const setting = POLICY_SETTINGS[field];
  const nullable = setting.kind === 'int' && setting.nullable;
  return applyDecorators(
    validatorOf(setting),
    ValidateIf((_o, v) => v !== undefined && !(nullable && v === null)),
    ApiPropertyOptional({ ...schemaOf(setting), default: setting.default, description: setting.description }),
  );
}

/** The setting as a response shows it. */
export function SettingOutput(field: PolicySettingField): PropertyDecorator {
  const setting = POLICY_SETTINGS[field];
  return ApiProperty({ ...schemaOf(setting), description: setting.description });
}

/** A field that responses show but no request may set: rejected with `reason`, left out of request schemas. */
export function ReadOnlyInput(reason: string): PropertyDecorator {
  return applyDecorators(
    ValidateBy({ name: 'readOnly', validator: { validate: () => false, defaultMessage: () => reason } }),
    ValidateIf((_o, v) => v !== undefined),
    ApiHideProperty(),
  );
}
