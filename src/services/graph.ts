import { isDeepStrictEqual } from 'node:util';
import type { GraphStore } from '../backends/graph-types.ts';
import type { GraphConfig, Limits } from '../config.ts';
import type { JsonObject } from '../domain/evaluation.ts';
import { generateGraphId, type Direction, type PathRecord, type RelationshipRecord, type ResultRecord, type TaskRecord, type VertexRecord } from '../domain/graph.ts';
import { checkId } from '../domain/ids.ts';
import { checkJsonObject, checkList, checkString } from '../domain/validate.ts';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors.ts';

export interface CreateTaskInput {
  id?: string | null;
  name: string;
  status?: string | null;
  data?: unknown;
}

export interface CreateResultInput {
  id?: string | null;
  data?: unknown;
}

export interface TraverseArgs {
  from: string;
  direction?: Direction | null;
  minDepth?: number | null;
  maxDepth?: number | null;
  edgeTypes?: readonly string[] | null;
  limit?: number | null;
}

// Edge types travel into AQL and SQL only as bound values, but a plain identifier also keeps
// them readable in logs and stable as names clients filter on.
const EDGE_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

export function checkEdgeType(field: string, type: string): string {
  if (!EDGE_TYPE.test(type)) {
    throw new BadUserInputError(`${field} must be 1-64 letters, digits, "_", ".", ":" or "-", starting with a letter (got ${JSON.stringify(type.slice(0, 40))}).`, { field });
  }
  return type;
}

/** Input checks and typed errors around a GraphStore, shared by every entry point. */
export class GraphService {
  constructor(
    readonly store: GraphStore,
    private readonly limits: Limits,
    private readonly graph: Pick<GraphConfig, 'maxDepth' | 'maxVisits'>,
  ) {}

  async createTask(input: CreateTaskInput): Promise<TaskRecord> {
    const task: TaskRecord = {
      kind: 'task',
      id: input.id != null ? checkId('id', input.id) : generateGraphId('task'),
      name: this.checkText('name', input.name),
      status: input.status != null ? this.checkText('status', input.status) : null,
      data: this.checkData(input.data ?? {}),
      createdAt: new Date(),
    };
    return (await this.create(task)) as TaskRecord;
  }

  async createResult(input: CreateResultInput): Promise<ResultRecord> {
    const id = input.id != null ? checkId('id', input.id) : generateGraphId('result');
    return (await this.create({ kind: 'result', id, data: this.checkData(input.data), createdAt: new Date() })) as ResultRecord;
  }

  /** Idempotent like createEvaluation: the same id with the same content returns what is stored. */
  private async create(vertex: VertexRecord): Promise<VertexRecord> {
    const { created, vertex: stored } = await this.store.createVertex(vertex);
    if (created) return stored;
    if (stored.kind !== vertex.kind) {
      throw new ConflictError(`"${vertex.id}" is already a ${stored.kind}; tasks and results share one id space. Choose another id.`, { id: vertex.id });
    }
    const { createdAt: _a, ...wanted } = vertex;
    const { createdAt: _b, ...existing } = stored;
    if (!isDeepStrictEqual(wanted, existing)) {
      throw new ConflictError(`The ${vertex.kind} "${vertex.id}" already exists with different content; choose another id or omit it.`, { id: vertex.id });
    }
    return stored;
  }

  async link(from: string, to: string, type: string, data: unknown): Promise<RelationshipRecord> {
    const edge: RelationshipRecord = {
      id: generateGraphId('rel'),
      from: checkId('from', from),
      to: checkId('to', to),
      type: checkEdgeType('type', type),
      data: this.checkData(data ?? {}),
      createdAt: new Date(),
    };
    const linked = await this.store.link(edge);
    if (linked.outcome === 'missing-vertex') throw new NotFoundError('Vertex', linked.id);
    return linked.edge;
  }

  /** True when the edge was removed, false when there was none: unlinking twice is not an error. */
  async unlink(id: string): Promise<boolean> {
    return this.store.unlink(checkId('id', id));
  }

  async traverse(args: TraverseArgs): Promise<PathRecord[]> {
    const minDepth = args.minDepth ?? 1;
    const maxDepth = args.maxDepth ?? 1;
    this.checkDepths(minDepth, maxDepth);
    const limit = args.limit ?? this.limits.maxPageSize;
    if (!Number.isInteger(limit) || limit < 0 || limit > this.limits.maxPageSize) {
      throw new BadUserInputError(`limit must be between 0 and ${this.limits.maxPageSize} (got ${limit}).`, { field: 'limit', limit: this.limits.maxPageSize });
    }
    const result = await this.store.traverse({
      start: checkId('from', args.from),
      direction: args.direction ?? 'OUTBOUND',
      minDepth,
      maxDepth,
      edgeTypes: this.checkEdgeTypes(args.edgeTypes),
      limit,
      maxVisits: this.graph.maxVisits,
    });
    if (!result) throw new NotFoundError('Vertex', args.from);
    if (result.overBudget) {
      throw new BadUserInputError(
        `This traversal visits more than ${this.graph.maxVisits} paths (GRAPH_MAX_VISITS); narrow it with edgeTypes, a lower maxDepth or a single direction.`,
        { field: 'maxDepth', limit: this.graph.maxVisits },
      );
    }
    return result.paths;
  }

  checkEdgeTypes(types: readonly string[] | null | undefined): readonly string[] | undefined {
    if (types == null) return undefined;
    return checkList('edgeTypes', types, this.limits.maxListLength).map((t) => checkEdgeType('edgeTypes', t));
  }

  private checkDepths(minDepth: number, maxDepth: number): void {
    const cap = this.graph.maxDepth;
    if (!Number.isInteger(minDepth) || minDepth < 0) throw new BadUserInputError(`minDepth must be 0 or more (got ${minDepth}).`, { field: 'minDepth' });
    if (!Number.isInteger(maxDepth) || maxDepth > cap) {
      throw new BadUserInputError(`maxDepth must be at most ${cap} (GRAPH_MAX_DEPTH); got ${maxDepth}. Traverse again from the last vertices for deeper paths.`, {
        field: 'maxDepth',
        limit: cap,
      });
    }
    if (minDepth > maxDepth) throw new BadUserInputError(`minDepth (${minDepth}) is greater than maxDepth (${maxDepth}).`, { field: 'minDepth' });
  }

  private checkText(field: string, value: string): string {
    if (value.length === 0) throw new BadUserInputError(`${field} must not be empty.`, { field });
    return checkString(field, value, this.limits.maxStringBytes);
  }

  private checkData(value: unknown): JsonObject {
    return checkJsonObject('data', value, this.limits.maxMetadataBytes);
  }
}
