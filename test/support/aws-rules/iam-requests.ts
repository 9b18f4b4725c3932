import { PARTITIONS, TABLE_KEYS } from '../../../lambdas/contract/table-schema.ts';

/** One AWS SDK call as a client sent it: the client, the command and its input as serialised. */
export interface AwsCall {
  readonly client: string;
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** Condition keys only the service knows (a KMS key's aliases): added to every request of the call. */
  readonly context?: Record<string, string | string[]>;
  /** The resource's own policy when the template does not hold it (a key the CLI created). */
  readonly resourcePolicy?: unknown;
}

/** One request as IAM authorises it: an action on a resource, with the condition keys the service sets. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  /** What the request touched, for a reader of a denial (a partition prefix, an object key): never a secret. */
  readonly touched: string;
}

/** How the names a test's clients use (a table per test file, local identities) map onto the stack's resources. */
export interface StackNames {
  readonly account: string;
  readonly region: string;
  readonly tableArn: string;
  readonly functionArn: (name: string) => string;
}

/** A key's value, marshalled ({ S: '…' }) or not (DynamoDBDocumentClient before its own middleware). */
function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value) return String((value as { S: unknown }).S);
  return JSON.stringify(value);
}

const partitionKeyOf = (key: unknown): string =>
  attributeText((key as Record<string, unknown> | undefined)?.[TABLE_KEYS.partition]);

/** The partition a key is in, named by its prefix: what a denial names (a NIR's keyed hash is no one's business). */
function prefixOf(partitionKey: string): string {
  const prefix = Object.values(PARTITIONS)
    .filter((p) => partitionKey.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ?? partitionKey.replace(/#.*/, '#…');
}

/** The partition key value a Query's key condition names (`#g = :g`, `pk = :pk`). */
function queriedPartition(input: Record<string, unknown>): string[] {
  const names = (input['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  const values = (input['ExpressionAttributeValues'] ?? {}) as Record<string, unknown>;
  const condition = String(input['KeyConditionExpression'] ?? '');
  const found: string[] = [];
  for (const match of condition.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const attribute = names[match[1]!] ?? match[1]!;
    if (attribute === TABLE_KEYS.partition || attribute.endsWith('Pk')) found.push(attributeText(values[match[2]!]));
  }
  return found;
}

/** Words of DynamoDB's expression grammar: what is not an attribute name. */
const EXPRESSION_WORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const EXPRESSION_FUNCTIONS = new Set([
  'if_not_exists',
  'list_append',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
]);

/** The top-level attribute names an expression names (`#n` through ExpressionAttributeNames; values `:v` are not names). */
function attributeNamesIn(expression: unknown, names: Record<string, string>): string[] {
  const found: string[] = [];
  for (const match of String(expression ?? '').matchAll(/(?<![:\w#.])(#?[A-Za-z_]\w*)/g)) {
    const token = match[1]!;
    if (EXPRESSION_WORDS.has(token.toUpperCase()) || EXPRESSION_FUNCTIONS.has(token)) continue;
    found.push(token.startsWith('#') ? (names[token] ?? token) : token);
  }
  return found;
}

/**
 * `dynamodb:Attributes` of an UpdateItem, as DynamoDB sets it: the key's attributes, those the
 * update expression changes and those its condition names.
 */
function updateAttributes(body: Record<string, unknown>): string[] {
  const names = (body['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  return [
    ...new Set([
      ...Object.keys((body['Key'] ?? {}) as object),
      ...attributeNamesIn(body['UpdateExpression'], names),
      ...attributeNamesIn(body['ConditionExpression'], names),
    ]),
  ];
}

const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

function dynamoRequests(operation: string, input: Record<string, unknown>, names: StackNames): IamRequest[] {
  const table = names.tableArn;
  const onKeys = (action: string, resource: string, partitionKeys: string[]): IamRequest => ({
    action: `dynamodb:${action}`,
    resource,
    context: { 'dynamodb:LeadingKeys': partitionKeys },
    touched: [...new Set(partitionKeys.map(prefixOf))].join(', '),
  });
  const onUpdate = (body: Record<string, unknown>): IamRequest => {
    const request = onKeys('UpdateItem', table, [partitionKeyOf(body['Key'])]);
    return { ...request, context: { ...request.context, 'dynamodb:Attributes': updateAttributes(body) } };
  };
  switch (operation) {
    case 'UpdateItem':
      return [onUpdate(input)];
    case 'GetItem':
    case 'DeleteItem':
      return [onKeys(operation, table, [partitionKeyOf(input['Key'])])];
    case 'PutItem':
      return [onKeys(operation, table, [partitionKeyOf(input['Item'])])];
    case 'Query': {
      const index = input['IndexName'] as string | undefined;
      return [onKeys('Query', index ? `${table}/index/${index}` : table, queriedPartition(input))];
    }
    case 'BatchGetItem': {
      const requests = Object.values(input['RequestItems'] as Record<string, { Keys: unknown[] }>);
      return [
        onKeys(
          'BatchGetItem',
          table,
          requests.flatMap((r) => r.Keys.map(partitionKeyOf)),
        ),
      ];
    }
    case 'BatchWriteItem': {
      const writes = Object.values(
        input['RequestItems'] as Record<string, Array<Record<string, { Item?: unknown; Key?: unknown }>>>,
      );
      return [
        onKeys(
          'BatchWriteItem',
          table,
          writes.flat().map((w) => partitionKeyOf(w['PutRequest']?.Item ?? w['DeleteRequest']?.Key)),
        ),
      ];
    }
    case 'TransactWriteItems':
      // IAM authorises each item of a transaction with the action of its kind.
      return (input['TransactItems'] as Array<Record<string, { Item?: unknown; Key?: unknown }>>).map((item) => {
        const [kind, body] = Object.entries(item)[0]!;
        const action = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        if (!action) throw new Error(`unknown transaction item ${kind}`);
        if (kind === 'Update') return onUpdate(body as Record<string, unknown>);
        return onKeys(action, table, [partitionKeyOf(body.Item ?? body.Key)]);
      });
    case 'TransactGetItems':
      return (input['TransactItems'] as Array<{ Get: { Key: unknown } }>).map((item) =>
        onKeys('GetItem', table, [partitionKeyOf(item.Get.Key)]),
      );
    default:
      return [{ action: `dynamodb:${operation}`, resource: table, context: {}, touched: 'the table' }];
  }
}

const arnIn = (service: string, names: StackNames, resource: string) =>
  `arn:aws:${service}:${names.region}:${names.account}:${resource}`;

/** The IAM requests one SDK call makes, in the stack's names. */
export function iamRequestsOf(call: AwsCall, names: StackNames): IamRequest[] {
  const operation = call.command.replace(/Command$/, '');
  const { input } = call;
  switch (call.client) {
    case 'DynamoDBClient':
    case 'DynamoDBDocumentClient':
      return dynamoRequests(DOCUMENT_COMMANDS[operation] ?? operation, input, names);
    case 'KMSClient': {
      const keyId = String(input['KeyId']);
      const resource = keyId.startsWith('arn:') ? keyId : arnIn('kms', names, `key/${keyId}`);
      return [{ action: `kms:${operation}`, resource, context: {}, touched: 'a key' }];
    }
    case 'SESv2Client': {
      const from = String(input['FromEmailAddress'] ?? '');
      const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
      const context = { 'ses:FromAddress': address };
      const requests: IamRequest[] = [
        {
          action: `ses:${operation}`,
          resource: arnIn('ses', names, `identity/${address.split('@')[1] ?? address}`),
          context,
          touched: 'the sending identity',
        },
      ];
      const configurationSet = input['ConfigurationSetName'];
      if (typeof configurationSet === 'string') {
        requests.push({
          action: `ses:${operation}`,
          resource: arnIn('ses', names, `configuration-set/${configurationSet}`),
          context,
          touched: 'the configuration set',
        });
      }
      return requests;
    }
    case 'LambdaClient':
      return [
        {
          action: operation === 'Invoke' ? 'lambda:InvokeFunction' : `lambda:${operation}`,
          resource: names.functionArn(String(input['FunctionName'])),
          context: {},
          touched: String(input['FunctionName']),
        },
      ];
    case 'SSMClient': {
      const name = String(input['Name']).replace(/^\//, '');
      return [
        { action: `ssm:${operation}`, resource: arnIn('ssm', names, `parameter/${name}`), context: {}, touched: name },
      ];
    }
    case 'SecretsManagerClient':
      return [
        {
          action: `secretsmanager:${operation}`,
          resource: String(input['SecretId']),
          context: {},
          touched: 'a secret',
        },
      ];
    case 'S3Client':
      return s3Requests(operation, input);
    case 'SQSClient':
      return [
        {
          action: `sqs:${operation}`,
          resource: sqsArnOf(String(input['QueueUrl'])),
          context: {},
          touched: 'a queue',
        },
      ];
    default:
      throw new Error(`no IAM translation for ${call.client}.${call.command}: add one (test/support/aws-rules)`);
  }
}

function sqsArnOf(url: string): string {
  const [, region, account, name] = /^https:\/\/sqs\.([\w-]+)\.[^/]+\/(\d+)\/(.+)$/.exec(url) ?? [];
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

function s3Requests(operation: string, input: Record<string, unknown>): IamRequest[] {
  const bucket = String(input['Bucket']);
  const object = `arn:aws:s3:::${bucket}/${String(input['Key'])}`;
  const encryption: Record<string, string> = {};
  if (typeof input['ServerSideEncryption'] === 'string')
    encryption['s3:x-amz-server-side-encryption'] = input['ServerSideEncryption'];
  if (typeof input['SSEKMSKeyId'] === 'string')
    encryption['s3:x-amz-server-side-encryption-aws-kms-key-id'] = input['SSEKMSKeyId'];
  const on = (action: string, resource: string, context: Record<string, string> = {}): IamRequest => ({
    action,
    resource,
    context,
    touched: resource.replace(/^arn:aws:s3:::/, ''),
  });
  switch (operation) {
    case 'HeadObject':
    case 'GetObject':
      return [on('s3:GetObject', object)];
    case 'PutObject':
      return [on('s3:PutObject', object, encryption)];
    case 'DeleteObject':
      return [on('s3:DeleteObject', object)];
    case 'CopyObject': {
      const source = String(input['CopySource']).replace(/^\//, '');
      return [on('s3:GetObject', `arn:aws:s3:::${decodeURIComponent(source)}`), on('s3:PutObject', object, encryption)];
    }
    case 'ListObjectsV2':
      return [on('s3:ListBucket', `arn:aws:s3:::${bucket}`)];
    default:
      return [on(`s3:${operation}`, object)];
  }
}
