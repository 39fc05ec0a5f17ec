import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  StringAttribute,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AftersaleFunction } from './function.ts';
import {
  cors,
  env,
  type FunctionName,
  functions,
  type QueueName,
  queues,
  routes,
  schedules,
  table,
} from './topology.ts';

export interface AftersaleStackProps extends StackProps {
  /** Keep the table (and its data) when the stack is deleted. Default true. */
  retainData?: boolean;
  /**
   * The admin page's origin (`https://admin.example.com`), the one origin CORS allows. Unset: no
   * CORS at all, for pages served from the API's own origin need none (and `*` is never allowed).
   */
  adminOrigin?: string;
}

/** The production stack, built from infra/topology.ts; nothing here lists a function or queue by hand. */
export class AftersaleStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly functions = new Map<FunctionName, NodejsFunction>();
  readonly queues = new Map<QueueName, { queue: Queue; dlq: Queue }>();

  constructor(scope: Construct, id: string, props: AftersaleStackProps = {}) {
    super(scope, id, props);
    const retain = props.retainData ?? true;
    if (props.adminOrigin !== undefined && !isOrigin(props.adminOrigin))
      throw new Error(`adminOrigin must look like https://admin.example.com, not "${props.adminOrigin}"`);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: table.partitionKey, type: AttributeType.STRING },
      sortKey: { name: table.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: table.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: table.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: `${index.name}Pk`, type: AttributeType.STRING },
        sortKey: { name: `${index.name}Sk`, type: AttributeType.STRING },
        ...(index.projection === 'all'
          ? { projectionType: ProjectionType.ALL }
          : index.projection.length === 0
            ? { projectionType: ProjectionType.KEYS_ONLY }
            : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: index.projection }),
      })),
    });

    const alarms = new Topic(this, 'Alarms', { displayName: 'aftersale alarms' });
    const alarmAction = new SnsAction(alarms);

    for (const spec of queues) {
      const dlq = new Queue(this, `${spec.name}-dlq`, {
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new Queue(this, `${spec.name}-queue`, {
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      this.queues.set(spec.name, { queue, dlq });
      new Alarm(this, `${spec.name}-dlq-depth`, {
        alarmDescription: `messages in the ${spec.name} DLQ need a look (aftersale dlq list)`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmAction);
    }

    // Staff sign in through this pool; `custom:shop_id` and the groups become the token's claims.
    const users = new UserPool(this, 'StaffPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { shop_id: new StringAttribute({ mutable: true }) },
      passwordPolicy: { minLength: 12, requireSymbols: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const group of ['staff', 'manager']) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: users.userPoolId, groupName: group });
    }
    // Staff sign in with SRP from the admin page; no hosted-UI OAuth flows are offered.
    const client = new UserPoolClient(this, 'AdminClient', {
      userPool: users,
      authFlows: { userSrp: true },
      disableOAuth: true,
    });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${users.userPoolId}`;

    // Customers' case tokens are signed with a key made at deploy time, never in the template.
    const customerTokenKey = new Secret(this, 'CustomerTokenKey', {
      description: "aftersale: signs customers' case tokens",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // SES reports bounces and complaints of mail sent with this configuration set to this topic
    // (shops name it in their email settings); mail-feedback marks the addresses.
    const mailFeedback = new Topic(this, 'MailFeedback', {
      displayName: 'aftersale: SES bounces and complaints',
    });
    const mailConfiguration = new ConfigurationSet(this, 'MailConfiguration', {});
    mailConfiguration.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(mailFeedback),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    for (const spec of functions) {
      const { fn } = new AftersaleFunction(this, spec.name, spec, retain, {
        // The pages' files (and Cognito's browser library) beside the pages function's bundle.
        ...(spec.assets?.length && {
          bundling: { commandHooks: copyAssets(spec.assets) },
        }),
        environment: {
          ...(spec.adminAuth && {
            [env.adminJwtIssuer]: issuer,
            [env.adminJwtAudience]: client.userPoolClientId,
          }),
          // A dynamic reference: CloudFormation puts the value in at deploy time.
          ...(spec.customerTokens && {
            [env.customerTokenSecret]: customerTokenKey.secretValue.unsafeUnwrap(),
          }),
        },
      });
      this.functions.set(spec.name, fn);
      if (spec.table) bindTable(fn, this.table, spec.table.access);
      if (spec.messaging) {
        // The shops' own verified identities (not known at deploy) and SMS to phone numbers, which
        // SNS publishes without a topic: neither can name a narrower resource.
        fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: ['*'] }));
        fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      }
      if (spec.mailFeedback) mailFeedback.addSubscription(new LambdaSubscription(fn));
      for (const name of spec.sendsTo ?? []) bindQueueSender(fn, name, this.queues.get(name)!.queue);
      for (const name of spec.redrives ?? []) bindRedrive(fn, name, this.queues.get(name)!);
      for (const [metric, threshold] of [
        [fn.metricErrors({ period: Duration.minutes(5) }), 0],
        [fn.metricThrottles({ period: Duration.minutes(5) }), 0],
      ] as const) {
        new Alarm(this, `${spec.name}-${metric.metricName.toLowerCase()}`, {
          metric,
          threshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }).addAlarmAction(alarmAction);
      }
      new Alarm(this, `${spec.name}-p99`, {
        alarmDescription: `p99 duration of ${spec.name} above 80% of its timeout`,
        metric: fn.metricDuration({ period: Duration.minutes(5), statistic: 'p99' }),
        threshold: spec.timeoutSeconds * 1000 * 0.8,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmAction);
    }

    for (const spec of queues) {
      this.functions.get(spec.consumer)!.addEventSource(
        new SqsEventSource(this.queues.get(spec.name)!.queue, {
          batchSize: spec.batchSize,
          maxBatchingWindow: spec.maxBatchingWindowSeconds
            ? Duration.seconds(spec.maxBatchingWindowSeconds)
            : undefined,
          maxConcurrency: spec.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }

    for (const spec of schedules) {
      new Rule(this, `schedule-${spec.name}`, {
        schedule: Schedule.rate(Duration.minutes(spec.everyMinutes)),
        targets: [new LambdaFunction(this.functions.get(spec.function)!, { retryAttempts: 2 })],
      });
    }

    this.api = new HttpApi(this, 'Api', {
      description: 'aftersale webhooks and admin API',
      ...(props.adminOrigin && {
        corsPreflight: {
          allowOrigins: [props.adminOrigin],
          allowMethods: cors.allowMethods.map((m) => CorsHttpMethod[m]),
          allowHeaders: cors.allowHeaders,
          maxAge: Duration.seconds(cors.maxAgeSeconds),
        },
      }),
    });
    const authorizer = new HttpJwtAuthorizer('StaffJwt', issuer, { jwtAudience: [client.userPoolClientId] });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${route.function}-integration`,
          this.functions.get(route.function)!,
        );
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        // Defence in depth: the gateway rejects bad tokens, the function checks them and the shop again.
        ...(route.path.startsWith('/admin/') && { authorizer }),
      });
    }

    // Links in messages point at the API (its portal, unsubscribe and admin pages).
    for (const spec of functions) {
      if (spec.publicUrl) this.functions.get(spec.name)!.addEnvironment(env.publicUrl, this.api.apiEndpoint);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'MailConfigurationSet', { value: mailConfiguration.configurationSetName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'StaffUserPoolId', { value: users.userPoolId });
    new CfnOutput(this, 'StaffClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topicArn });
  }
}

/** A browser's Origin: scheme, host and port only (so never `*` nor a trailing slash). */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/** Grants table access and sets TABLE_NAME together, so neither is forgotten. */
function bindTable(fn: NodejsFunction, t: TableV2, access: 'read' | 'readwrite'): void {
  if (access === 'read') t.grantReadData(fn);
  else t.grantReadWriteData(fn);
  fn.addEnvironment(env.table, t.tableName);
}

function bindQueueSender(fn: NodejsFunction, name: QueueName, queue: Queue): void {
  queue.grantSendMessages(fn);
  fn.addEnvironment(env.queueUrl(name), queue.queueUrl);
}

/** Lists and moves back a DLQ's messages: read and delete on the DLQ, send on its queue. */
function bindRedrive(fn: NodejsFunction, name: QueueName, q: { queue: Queue; dlq: Queue }): void {
  q.dlq.grantConsumeMessages(fn);
  q.queue.grantSendMessages(fn);
  fn.addEnvironment(env.deadLetterUrl(name), q.dlq.queueUrl);
  fn.addEnvironment(env.queueUrl(name), q.queue.queueUrl);
}

/** Copies folders of the repository (the pages' files) beside the bundle. */
function copyAssets(dirs: string[]) {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      ...dirs.map((dir) => `cp -R "${inputDir}/${dir}" "${outputDir}/${dir}"`),
      // Cognito's browser library for the admin page's sign-in (functions/handlers/pages.ts).
      ...(dirs.includes('pages')
        ? [
            `cp "${inputDir}/node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js" "${outputDir}/pages/assets/cognito.js"`,
          ]
        : []),
    ],
  };
}
