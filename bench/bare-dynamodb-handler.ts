// The yardstick for handler size and cold import: a bare DynamoDB GetItem handler, bundled the
// same way as the real handlers.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (event: { id: string }) =>
  client.send(
    new GetItemCommand({ TableName: process.env['TABLE_NAME'], Key: { pk: { S: event.id }, sk: { S: 'x' } } }),
  );
