import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** An optional free-text description of an inventory item: at most 500 characters, null clears it. */
export function DescriptionField(): PropertyDecorator {
  // Listed in the order decorators stacked on a property run (bottom up), so that validation
  // reports as it did when each resource wrote them out.
  return applyDecorators(
    MaxLength(500),
    IsString(),
    ValidateIf((_o, v) => v !== null),
    IsOptional(),
    ApiPropertyOptional({ nullable: true, type: String }),
  );
}
