import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'sshPort' })
  public field!: string;

  @ApiProperty({ example: 'must be an integer from 1 to 65535' })
  public reason!: string;
}

/** Every error the API returns has this shape. */
export class ApiErrorDto {
  @ApiProperty({ example: 400 })
  public statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  public error!: string;

  @ApiProperty({ example: 'sshPort: must be an integer from 1 to 65535' })
  public message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  public fields?: FieldErrorDto[];
}
