import {
  applyDecorators,
  Body,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  type Type,
} from '@nestjs/common';
import { PARAMTYPES_METADATA } from '@nestjs/common/constants';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  type ApiOperationOptions,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { type Role } from '../../auth/role';
import { ApiErrorDto } from '../../http/api-error.dto';
import { type Page } from '../../http/pagination';
import { uuidPipe } from '../../http/uuid.pipe';

/** What a route documents besides its success: its summary, and the errors it can answer. */
export interface RouteDocs extends Pick<ApiOperationOptions, 'summary' | 'description'> {
  readonly summary: string;
  /** 409: a unique field (name, address…) clashes, or the change is refused while in use. */
  readonly conflict?: boolean;
  /** 422: a referenced resource does not exist (true, or the description to show). */
  readonly unprocessable?: boolean | string;
  /** 403 beyond the route's role: what only an admin may send (e.g. credentials). */
  readonly forbidden?: string;
}

/** The service behind the routes of one resource by id (every inventory service has these). */
export interface InventoryItemService<Dto, Create, Update> {
  get(id: string): Promise<Dto>;
  create(body: Create, ctx: AuditContext): Promise<Dto>;
  update(id: string, body: Update, ctx: AuditContext): Promise<Dto>;
  remove(id: string, ctx: AuditContext): Promise<void>;
}

export interface InventoryCrudService<Dto, QueryDto, Create, Update> extends InventoryItemService<Dto, Create, Update> {
  list(query: QueryDto): Promise<Page<Dto>>;
}

export interface InventoryItemRoutesSpec<
  Dto,
  Create,
  Update,
  Service extends InventoryItemService<Dto, Create, Update>,
> {
  readonly service: Type<Service>;
  readonly dto: Type<Dto>;
  readonly createDto: Type<Create>;
  readonly updateDto: Type<Update>;
  /** The least role that may create, change and delete (reads need viewer). */
  readonly writeRole: Role;
  readonly get: RouteDocs;
  readonly create: RouteDocs;
  readonly update: RouteDocs;
  readonly remove: RouteDocs;
}

export interface InventoryCrudSpec<Dto, PageDto, QueryDto, Create, Update> extends InventoryItemRoutesSpec<
  Dto,
  Create,
  Update,
  InventoryCrudService<Dto, QueryDto, Create, Update>
> {
  readonly pageDto: Type<PageDto>;
  readonly queryDto: Type<QueryDto>;
  readonly list: RouteDocs;
}

/** The OpenAPI operation and error responses of a route, as its RouteDocs say. */
function documented(docs: RouteDocs, notFound: boolean): MethodDecorator {
  const { conflict, unprocessable, forbidden, ...operation } = docs;
  return applyDecorators(
    ApiOperation(operation),
    ...(forbidden !== undefined ? [ApiForbiddenResponse({ type: ApiErrorDto, description: forbidden })] : []),
    ...(notFound ? [ApiNotFoundResponse({ type: ApiErrorDto })] : []),
    ...(conflict ? [ApiConflictResponse({ type: ApiErrorDto })] : []),
    ...(unprocessable
      ? [
          ApiUnprocessableEntityResponse({
            type: ApiErrorDto,
            ...(typeof unprocessable === 'string' ? { description: unprocessable } : {}),
          }),
        ]
      : []),
  );
}

/**
 * Type parameters are erased to Object in the emitted parameter metadata, but validation and the
 * OpenAPI document need the real DTO classes: set them as tsc would for a hand-written route.
 */
function parameterTypes(prototype: object, method: string, types: unknown[]): void {
  Reflect.defineMetadata(PARAMTYPES_METADATA, types, prototype, method);
}

/**
 * GET /:id, POST, PATCH /:id and DELETE /:id of one inventory resource, documented from `spec`;
 * the subclass adds @Controller and @ApiTags (so its path reads where it is declared) and any
 * routes of its own. For a resource whose list is a plain page, use InventoryCrudController.
 */
export function InventoryItemRoutes<Dto, Create, Update, Service extends InventoryItemService<Dto, Create, Update>>(
  spec: InventoryItemRoutesSpec<Dto, Create, Update, Service>,
) {
  abstract class ItemRoutes {
    public constructor(@Inject(spec.service) protected readonly service: Service) {}

    @Get(':id')
    @documented(spec.get, true)
    @ApiOkResponse({ type: spec.dto })
    public get(@Param('id', uuidPipe('id')) id: string): Promise<Dto> {
      return this.service.get(id);
    }

    @Post()
    @RequireRole(spec.writeRole)
    @documented(spec.create, false)
    @ApiCreatedResponse({ type: spec.dto })
    public create(@Body() body: Create, @Audit() audit: AuditContext): Promise<Dto> {
      return this.service.create(body, audit);
    }

    @Patch(':id')
    @RequireRole(spec.writeRole)
    @documented(spec.update, true)
    @ApiOkResponse({ type: spec.dto })
    public update(
      @Param('id', uuidPipe('id')) id: string,
      @Body() body: Update,
      @Audit() audit: AuditContext,
    ): Promise<Dto> {
      return this.service.update(id, body, audit);
    }

    @Delete(':id')
    @HttpCode(204)
    @RequireRole(spec.writeRole)
    @documented(spec.remove, true)
    @ApiNoContentResponse()
    public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
      return this.service.remove(id, audit);
    }
  }
  parameterTypes(ItemRoutes.prototype, 'create', [spec.createDto, Object]);
  parameterTypes(ItemRoutes.prototype, 'update', [String, spec.updateDto, Object]);
  return ItemRoutes;
}

/** The five routes of an inventory resource: GET (a page), GET /:id, POST, PATCH /:id, DELETE /:id. */
export function InventoryCrudController<Dto, PageDto, QueryDto, Create, Update>(
  spec: InventoryCrudSpec<Dto, PageDto, QueryDto, Create, Update>,
) {
  abstract class CrudRoutes extends InventoryItemRoutes(spec) {
    @Get()
    @documented(spec.list, false)
    @ApiOkResponse({ type: spec.pageDto })
    public list(@Query() query: QueryDto): Promise<Page<Dto>> {
      return this.service.list(query);
    }
  }
  parameterTypes(CrudRoutes.prototype, 'list', [spec.queryDto]);
  return CrudRoutes;
}
