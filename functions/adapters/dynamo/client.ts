import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let shared: DynamoDBDocumentClient | undefined;

/**
 * The document client. The endpoint comes from the standard AWS_ENDPOINT_URL_DYNAMODB variable when
 * set (the local runtime sets it), so no handler carries local-only code.
 */
export function documentClient(): DynamoDBDocumentClient {
  shared ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return shared;
}

/** For tests and the local runtime after they changed the environment. */
export function resetDocumentClient(): void {
  shared = undefined;
}
