/**
 * A small CloudFormation intrinsic resolver: enough of Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, Fn::Base64 and conditions to read the properties
 * the embedded runtime needs from a synthesized template, with the pseudo parameters of one
 * account and region. Physical names are what the resource says, or its logical id.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface ResolverOptions {
  readonly region?: string;
  readonly account?: string;
  readonly stackName?: string;
  /** Values for parameters; a parameter not given takes its Default. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Removed from the object or list that holds it (`Ref: AWS::NoValue`). */
const NO_VALUE = Symbol('AWS::NoValue');

/** The property that names a resource, by type; without it the logical id is the name. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Logs::LogGroup': 'LogGroupName',
};

export class TemplateResolver {
  readonly region: string;
  readonly account: string;
  readonly stackName: string;
  readonly #template: CfnTemplate;
  readonly #parameters: Readonly<Record<string, unknown>>;
  readonly #conditions = new Map<string, boolean>();

  constructor(template: CfnTemplate, options: ResolverOptions = {}) {
    if (template === null || typeof template !== 'object' || typeof template.Resources !== 'object') {
      throw new TemplateError('not a CloudFormation template: no Resources');
    }
    this.#template = template;
    this.region = options.region ?? 'eu-central-1';
    this.account = options.account ?? '000000000000';
    this.stackName = options.stackName ?? 'Merzim-dev';
    this.#parameters = options.parameters ?? {};
  }

  get template(): CfnTemplate {
    return this.#template;
  }

  /** Logical ids of the resources of a type whose condition (if any) holds. */
  resourcesOfType(type: string): string[] {
    return Object.entries(this.#template.Resources)
      .filter(([, resource]) => resource.Type === type && (resource.Condition === undefined || this.condition(resource.Condition)))
      .map(([logicalId]) => logicalId);
  }

  resource(logicalId: string): CfnResource {
    const resource = this.#template.Resources[logicalId];
    if (resource === undefined) throw new TemplateError(`no resource "${logicalId}" in the template`);
    return resource;
  }

  /** A resource's properties, every intrinsic resolved. */
  properties(logicalId: string): Record<string, unknown> {
    const resolved = this.resolve(this.resource(logicalId).Properties ?? {}, `Resources.${logicalId}.Properties`);
    return resolved as Record<string, unknown>;
  }

  /** The physical name: the naming property when it is set, else the logical id. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const named = property === undefined ? undefined : resource.Properties?.[property];
    if (named === undefined) return logicalId;
    const value = this.resolve(named, `Resources.${logicalId}.Properties.${property ?? ''}`);
    if (typeof value !== 'string') throw new TemplateError(`the name of ${logicalId} is not a string`);
    return value;
  }

  /** What `Ref` of a resource returns. */
  ref(logicalId: string): string {
    const resource = this.resource(logicalId);
    switch (resource.Type) {
      case 'AWS::StepFunctions::StateMachine':
        return this.getAtt(logicalId, 'Arn');
      default:
        return this.physicalName(logicalId);
    }
  }

  /** What `Fn::GetAtt` of a resource returns. */
  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const name = (): string => this.physicalName(logicalId);
    const arn = (service: string, rest: string, region = this.region, account = this.account): string =>
      `arn:aws:${service}:${region}:${account}:${rest}`;
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${name()}`);
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return arn('dynamodb', `table/${name()}`);
      case 'AWS::DynamoDB::Table.StreamArn':
      case 'AWS::DynamoDB::GlobalTable.StreamArn':
        return arn('dynamodb', `table/${name()}/stream/1970-01-01T00:00:00.000`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return arn('states', `stateMachine:${name()}`);
      case 'AWS::StepFunctions::StateMachine.Name':
        return name();
      case 'AWS::IAM::Role.Arn':
        return arn('iam', `role/${name()}`, '');
      case 'AWS::Scheduler::Schedule.Arn':
        return arn('scheduler', `schedule/default/${name()}`);
      // Named by the properties the runtime reads (a table's key, a machine's log group, a schedule's
      // dead-letter queue); the local services ignore them.
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${logicalId}`);
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${name()}:*`);
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', name());
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return `https://${logicalId}.execute-api.${this.region}.amazonaws.com`;
      case 'AWS::ApiGatewayV2::Api.ApiId':
        return logicalId;
      // The dashboard's address in the functions' environment; the local system points it at its own /dashboard/.
      case 'AWS::CloudFront::Distribution.DomainName':
        return `${logicalId.toLowerCase()}.cloudfront.net`;
      default:
        throw new TemplateError(`Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) is not known to the local resolver`);
    }
  }

  /** Resolves every intrinsic in `value`. `where` names the place for error messages. */
  resolve(value: unknown, where = 'template'): unknown {
    const resolved = this.#resolve(value, where);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** A named condition of the template; one that cannot be evaluated counts as false. */
  condition(name: string): boolean {
    const known = this.#conditions.get(name);
    if (known !== undefined) return known;
    const expression = this.#template.Conditions?.[name];
    let value = false;
    if (expression !== undefined) {
      try {
        value = this.#evaluate(expression, `Conditions.${name}`);
      } catch {
        value = false;
      }
    }
    this.#conditions.set(name, value);
    return value;
  }

  #evaluate(expression: unknown, where: string): boolean {
    if (typeof expression === 'boolean') return expression;
    if (typeof expression === 'string') return expression === 'true';
    const [key, args] = single(expression);
    switch (key) {
      case 'Condition':
        return this.condition(String(args));
      case 'Fn::Equals': {
        const [a, b] = list(args, 2, where);
        return JSON.stringify(this.resolve(a, where)) === JSON.stringify(this.resolve(b, where));
      }
      case 'Fn::Not':
        return !this.#evaluate(list(args, 1, where)[0], where);
      case 'Fn::And':
        return (args as unknown[]).every((item) => this.#evaluate(item, where));
      case 'Fn::Or':
        return (args as unknown[]).some((item) => this.#evaluate(item, where));
      default:
        throw new TemplateError(`${where}: not a condition`);
    }
  }

  #resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, index) => this.#resolve(item, `${where}[${index}]`)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const first = entries[0];
    if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::') || first[0] === 'Condition')) {
      if (first[0] !== 'Condition') return this.#intrinsic(first[0], first[1], `${where}.${first[0]}`);
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.#resolve(item, `${where}.${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  #intrinsic(name: string, args: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.#ref(String(args), where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof args === 'string' ? splitOnce(args, '.') : list(args, 2, where).map((item) => String(this.#resolve(item, where)));
        return this.getAtt(logicalId ?? '', attribute ?? '');
      }
      case 'Fn::Join': {
        const [separator, items] = list(args, 2, where);
        const resolved = this.#resolve(items, where);
        if (!Array.isArray(resolved)) throw new TemplateError(`${where}: Fn::Join needs a list`);
        return resolved.map((item) => scalar(item, where)).join(String(separator));
      }
      case 'Fn::Sub':
        return this.#sub(args, where);
      case 'Fn::Select': {
        const [index, items] = list(args, 2, where);
        const resolved = this.#resolve(items, where);
        const position = Number(this.#resolve(index, where));
        if (!Array.isArray(resolved) || !Number.isInteger(position) || position < 0 || position >= resolved.length) {
          throw new TemplateError(`${where}: Fn::Select index ${String(position)} is out of range`);
        }
        return resolved[position];
      }
      case 'Fn::Split': {
        const [separator, source] = list(args, 2, where);
        return scalar(this.#resolve(source, where), where).split(String(separator));
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = list(args, 3, where);
        return this.condition(String(condition)) ? this.#resolve(whenTrue, where) : this.#resolve(whenFalse, where);
      }
      case 'Fn::Base64':
        return Buffer.from(scalar(this.#resolve(args, where), where)).toString('base64');
      case 'Fn::FindInMap': {
        const [map, top, second] = list(args, 3, where).map((item) => scalar(this.#resolve(item, where), where));
        const found = this.#template.Mappings?.[map ?? '']?.[top ?? '']?.[second ?? ''];
        if (found === undefined) throw new TemplateError(`${where}: no mapping ${String(map)}.${String(top)}.${String(second)}`);
        return found;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.region}${zone}`);
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
        return this.#evaluate({ [name]: args }, where);
      default:
        throw new TemplateError(`${where}: ${name} is not known to the local resolver`);
    }
  }

  #ref(name: string, where: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    if (name in this.#parameters) return this.#parameters[name];
    const parameter = this.#template.Parameters?.[name];
    if (parameter !== undefined) {
      if (parameter.Default === undefined) throw new TemplateError(`${where}: parameter ${name} has no value and no default`);
      return parameter.Default;
    }
    if (this.#template.Resources[name] !== undefined) return this.ref(name);
    throw new TemplateError(`${where}: Ref to unknown "${name}"`);
  }

  #sub(args: unknown, where: string): string {
    const [text, variables] = typeof args === 'string' ? [args, {}] : (list(args, 2, where) as [unknown, unknown]);
    if (typeof text !== 'string') throw new TemplateError(`${where}: Fn::Sub needs a string`);
    const given = (variables ?? {}) as Record<string, unknown>;
    return text.replace(/\$\{(!?)([^}]*)\}/g, (_match, literal: string, body: string) => {
      if (literal === '!') return `\${${body}}`;
      const key = body.trim();
      if (key in given) return scalar(this.#resolve(given[key], where), where);
      const dot = key.indexOf('.');
      if (dot > 0 && !key.startsWith('AWS::')) return this.getAtt(key.slice(0, dot), key.slice(dot + 1));
      return scalar(this.#ref(key, where), where);
    });
  }
}

function single(expression: unknown): [string, unknown] {
  if (expression === null || typeof expression !== 'object') return ['', expression];
  const entries = Object.entries(expression);
  const [first] = entries;
  return entries.length === 1 && first !== undefined ? first : ['', expression];
}

function list(args: unknown, length: number, where: string): unknown[] {
  if (!Array.isArray(args) || args.length < length) throw new TemplateError(`${where}: expected a list of ${length}`);
  return args;
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${where}: expected a string, got ${JSON.stringify(value)}`);
}
