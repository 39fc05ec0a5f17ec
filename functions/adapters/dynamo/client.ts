import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The table every repository works on, and the client it is reached with. */
export interface Db {
  client: DynamoDBDocumentClient;
  table: string;
}

/**
 * A document client. The endpoint comes from the standard AWS_ENDPOINT_URL_DYNAMODB variable when
 * set (the local runtime sets it), so no handler carries local-only code.
 */
export function documentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
