import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  Mfa,
  StringAttribute,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct, IConstruct } from 'constructs';
import { CONSUMER_DIMENSION } from '../functions/lib/metrics.ts';
import type { DeployConfig } from './config.ts';
import { AftersaleFunction } from './function.ts';
import {
  cors,
  type DynamoAction,
  env,
  type FunctionName,
  type FunctionSpec,
  functions,
  type QueueName,
  queues,
  type RouteSpec,
  routes,
  schedules,
  table,
} from './topology.ts';

export interface AftersaleStackProps extends StackProps {
  config: DeployConfig;
}

/** Per-route throttling over the stage default: what each kind of caller may send (requests/s, burst). */
export const ROUTE_THROTTLE: Array<{ prefix: string; rate: number; burst: number; why: string }> = [
  // Providers retry on 429, and a shop's bulk edit can send hundreds of webhooks at once.
  { prefix: '/webhooks/', rate: 100, burst: 200, why: 'provider bursts; they retry a 429' },
  // Anyone on the internet: the portal lookup and the return form are also rate-limited per client.
  { prefix: '/returns', rate: 20, burst: 40, why: 'public forms' },
  { prefix: '/portal/', rate: 20, burst: 40, why: 'public lookups' },
  { prefix: '/unsubscribe/', rate: 10, burst: 20, why: 'one click per message' },
  { prefix: '/sms/', rate: 20, burst: 40, why: "replies relayed by a shop's SMS gateway" },
  { prefix: '/admin/', rate: 50, burst: 100, why: 'a few staff at a time' },
];

/** The routes that are public by design, each with why the gateway does not authorize it. */
export function publicReason(route: RouteSpec): string {
  if (route.path.startsWith('/webhooks/'))
    return 'Provider webhooks cannot send our JWT: each is verified by its own signature (HMAC) on the raw body in ingest-webhook.';
  if (route.path.startsWith('/returns'))
    return 'Customers file and follow returns without an account: the order number and contact are checked, then a signed case token.';
  if (route.path.startsWith('/portal/'))
    return "The customer portal is public; lookups are rate-limited per client and answer only with the customer's own case tokens.";
  if (route.path.startsWith('/unsubscribe/'))
    return 'RFC 8058 one-click unsubscribe: the signed token in the link is the authorization.';
  if (route.path.startsWith('/sms/'))
    return "The shop's SMS gateway posts customers' replies (TD, 退订): each is verified by the signature of the shop's webhook channel secret, not a staff JWT.";
  if (route.path === '/health') return 'Liveness probe for monitors; answers 200 and touches nothing.';
  if (route.function === 'pages')
    return 'Static pages and the OpenAPI document: the admin page signs in itself, its API calls are behind the JWT.';
  throw new Error(`route ${route.method} ${route.path} is neither /admin/* nor a known public route`);
}

const isAdminRoute = (route: RouteSpec) => route.path.startsWith('/admin/');

/** The production stack, built from infra/topology.ts; nothing here lists a function or queue by hand. */
export class AftersaleStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly secretsKey: Key;
  readonly alarmTopic: Topic;
  readonly functions = new Map<FunctionName, NodejsFunction>();
  readonly queues = new Map<QueueName, { queue: Queue; dlq: Queue }>();
  readonly sweepFailures: Queue;
  /** The CloudFront distribution in front of the webhooks, with `webhookWaf` only. */
  webhookEdge: Distribution | undefined;

  constructor(scope: Construct, id: string, props: AftersaleStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.retainData;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.logRetentionDays as RetentionDays;
    const prefix = `aftersale-${config.stage}`;

    // Connector and channel secrets are encrypted with this key before they reach the table; only
    // the functions flagged `secretsKey` in the topology may decrypt with it.
    this.secretsKey = new Key(this, 'SecretsKey', {
      description: `${prefix}: connector and channel secrets at rest`,
      enableKeyRotation: true,
      alias: `alias/${prefix}-secrets`,
      removalPolicy,
    });

    const tableKey =
      config.tableKey === 'customer-managed'
        ? new Key(this, 'TableKey', {
            description: `${prefix}: the DynamoDB table`,
            enableKeyRotation: true,
            removalPolicy,
          })
        : undefined;
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: table.partitionKey, type: AttributeType.STRING },
      sortKey: { name: table.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: table.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy,
      // Always encrypted at rest; the AWS owned key costs nothing, a customer-managed one is auditable.
      encryption: tableKey
        ? TableEncryptionV2.customerManagedKey(tableKey)
        : TableEncryptionV2.dynamoOwnedKey(),
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

    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `${prefix} alarms`, enforceSSL: true });
    this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    // The topic policy enforceSSL writes replaces SNS's default one, which let the account's own
    // services publish: without this statement CloudWatch is refused and no alarm reaches anyone.
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    suppress(this.alarmTopic, {
      'Serverless-SNSRedrivePolicy':
        'The email subscription: SNS retries delivery, and the alarm state stays in CloudWatch whatever becomes of the mail.',
      'AwsSolutions-SNS2':
        'Alarm notifications carry alarm names and metric values only, no customer data; CloudWatch cannot publish to a topic under the AWS managed SNS key.',
    });
    const alarmAction = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, description: string, metric: IMetric, threshold: number, periods = 1) =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: periods,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmAction);

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
      suppress(dlq, {
        'Serverless-SQSRedrivePolicy':
          'It is the dead-letter queue: its messages are read and redriven by hand (aftersale dlq), never retried into another.',
      });
      alarm(
        `${spec.name}-dlq-depth`,
        `Messages in the ${spec.name} DLQ: read them with "aftersale dlq list ${spec.name}", fix the cause, then "aftersale dlq redrive ${spec.name}" (docs/deploy.md).`,
        dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
      );
      alarm(
        `${spec.name}-oldest-message`,
        `The oldest ${spec.name} message waited over ${spec.oldestMessageAlarmMinutes} min: ${spec.consumer} is failing, throttled or too slow (docs/deploy.md).`,
        queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        spec.oldestMessageAlarmMinutes * 60,
      );
    }

    // Where a timer sweep that failed all its attempts goes (Lambda's on-failure destination, and
    // EventBridge's dead letters when it could not invoke at all): kept 14 days, alarmed at once.
    this.sweepFailures = new Queue(this, 'sweep-failures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    suppress(this.sweepFailures, {
      'Serverless-SQSRedrivePolicy': 'It is a dead-letter target itself; a person reads it (alarmed).',
      'AwsSolutions-SQS3':
        'It is itself the dead letter target of the scheduled sweep (Lambda on-failure destination and EventBridge DLQ); nothing consumes it.',
    });
    alarm(
      'sweep-failures-depth',
      'A timer sweep failed every attempt: see the sweep-timers logs; the next sweep (each minute) catches up from its cursor (docs/deploy.md).',
      this.sweepFailures.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      0,
    );

    // Who may call /admin/*: the stack's own Cognito pool (staff and manager groups) or an OIDC issuer.
    const identity = config.adminIdentity === 'cognito' ? this.staffPool(removalPolicy) : undefined;
    const issuer = identity?.issuer ?? config.adminIssuer!;
    const audience = identity ? [identity.client.userPoolClientId] : config.adminAudience!;

    // Customers' case tokens are signed with a key made at deploy time, never in the template.
    const customerTokenKey = new Secret(this, 'CustomerTokenKey', {
      description: `${prefix}: signs customers' case tokens`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    suppress(customerTokenKey, {
      'AwsSolutions-SMG4':
        "Rotating the signing key invalidates every customer's case link at once; it is rotated by hand when needed (docs/deploy.md, Rotate a secret).",
    });

    // SES reports bounces and complaints of mail sent with this configuration set to this topic
    // (shops name it in their email settings); mail-feedback marks the addresses. The reports name
    // customers' addresses, so the topic is encrypted with a key SES may use.
    const mailFeedbackKey = new Key(this, 'MailFeedbackKey', {
      description: `${prefix}: SES bounce and complaint notices`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    mailFeedbackKey.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    const mailFeedback = new Topic(this, 'MailFeedback', {
      displayName: `${prefix}: SES bounces and complaints`,
      enforceSSL: true,
      masterKey: mailFeedbackKey,
    });
    const mailConfiguration = new ConfigurationSet(this, 'MailConfiguration', {
      ...(config.sesConfigurationSet && { configurationSetName: config.sesConfigurationSet }),
    });
    mailConfiguration.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(mailFeedback),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    for (const spec of functions) {
      const built = new AftersaleFunction(this, spec.name, spec, {
        retainLogs: retain,
        logRetention,
        props: {
          // The pages' files (and Cognito's browser library) beside the pages function's bundle.
          ...(spec.assets?.length && { bundling: { commandHooks: copyAssets(spec.assets) } }),
          ...(spec.name === 'sweep-timers' && {
            onFailure: new SqsDestination(this.sweepFailures),
            retryAttempts: 2,
          }),
          environment: {
            ...(spec.adminAuth && {
              [env.adminJwtIssuer]: issuer,
              // The function checks one audience: the app client (or the first of the issuer's).
              [env.adminJwtAudience]: audience[0]!,
            }),
            // A dynamic reference: CloudFormation puts the value in at deploy time.
            ...(spec.customerTokens && {
              [env.customerTokenSecret]: customerTokenKey.secretValue.unsafeUnwrap(),
            }),
            ...(spec.staffSignIn &&
              identity && {
                [env.staffPoolId]: identity.pool.userPoolId,
                [env.staffClientId]: identity.client.userPoolClientId,
              }),
            ...(spec.secretsKey && { [env.secretsKeyId]: this.secretsKey.keyArn }),
          },
        },
      });
      const fn = built.fn;
      this.functions.set(spec.name, fn);
      suppressFunction(built, spec, this.resolve((this.table.node.defaultChild as CfnElement).logicalId));
      if (spec.table) bindTable(fn, this.table, spec.table.actions, tableKey);
      // Decrypt only: the functions verify and sign with the secrets; the operator's CLI encrypts them.
      if (spec.secretsKey) this.secretsKey.grant(fn, 'kms:Decrypt');
      if (spec.messaging) {
        // SES: the configured identity when there is one, else the shops' own (not known at deploy).
        // SMS to phone numbers is published without a topic: it cannot name a narrower resource.
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: config.sesIdentity
              ? [
                  this.formatArn({ service: 'ses', resource: 'identity', resourceName: config.sesIdentity }),
                  this.formatArn({
                    service: 'ses',
                    resource: 'configuration-set',
                    resourceName: mailConfiguration.configurationSetName,
                  }),
                ]
              : ['*'],
          }),
        );
        fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      }
      if (spec.mailFeedback) mailFeedback.addSubscription(new LambdaSubscription(fn));
      if (spec.mailFeedback)
        suppress(fn, {
          'Serverless-SNSRedrivePolicy':
            'SNS invokes mail-feedback asynchronously and Lambda retries twice; a lost bounce mark is made again by the next bounce of that address, SES keeps reporting.',
        });
      for (const name of spec.sendsTo ?? []) bindQueueSender(fn, name, this.queues.get(name)!.queue);
      for (const name of spec.redrives ?? []) bindRedrive(fn, name, this.queues.get(name)!);
      alarm(
        `${spec.name}-errors`,
        `${spec.name} failed invocations (uncaught errors or timeouts): see its log group (docs/deploy.md, Alarms).`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
      );
      alarm(
        `${spec.name}-throttles`,
        `${spec.name} was throttled: the account's concurrency or its own reserved concurrency is exhausted.`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
      );
      alarm(
        `${spec.name}-p99`,
        `p99 duration of ${spec.name} above 80% of its ${spec.timeoutSeconds} s timeout: it is close to timing out.`,
        fn.metricDuration({ period: Duration.minutes(5), statistic: 'p99' }),
        spec.timeoutSeconds * 1000 * 0.8,
        3,
      );
    }

    for (const spec of queues) {
      const consumer = this.functions.get(spec.consumer)!;
      // SQS event sources have no on-failure destination: the queue's own redrive policy (DLQ) is it.
      suppress(consumer, {
        'Serverless-LambdaEventSourceMappingDestination':
          "SQS event source mappings do not support on-failure destinations; failed records go to the queue's DLQ after maxReceiveCount.",
      });
      consumer.addEventSource(
        new SqsEventSource(this.queues.get(spec.name)!.queue, {
          batchSize: spec.batchSize,
          maxBatchingWindow: spec.maxBatchingWindowSeconds
            ? Duration.seconds(spec.maxBatchingWindowSeconds)
            : undefined,
          maxConcurrency: spec.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      // Records the consumer reports as failed (batchItemFailures): Lambda Errors does not see them.
      alarm(
        `${spec.name}-processing-failures`,
        `${spec.consumer} failed records of the ${spec.name} queue (they are retried, then go to its DLQ): see the "record failed" lines in its log.`,
        new Metric({
          namespace: 'aftersale',
          metricName: 'ProcessingFailures',
          dimensionsMap: { service: 'aftersale', [CONSUMER_DIMENSION]: spec.consumer },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        0,
      );
    }

    for (const spec of schedules) {
      new Rule(this, `schedule-${spec.name}`, {
        schedule: Schedule.rate(Duration.minutes(spec.everyMinutes)),
        targets: [
          new LambdaFunction(this.functions.get(spec.function)!, {
            retryAttempts: 2,
            deadLetterQueue: this.sweepFailures,
          }),
        ],
      });
    }

    this.api = this.httpApi(config, issuer, audience, logRetention, removalPolicy);

    // Links in messages point at the API (its portal, unsubscribe and admin pages).
    const publicUrl = config.domainName ? `https://${config.domainName}` : this.api.apiEndpoint;
    for (const spec of functions) {
      if (spec.publicUrl) this.functions.get(spec.name)!.addEnvironment(env.publicUrl, publicUrl);
    }

    // The CLI (infra/cli) finds the stack's parts by these names: never rename them.
    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description });
    output('ApiUrl', publicUrl, 'Base URL of the HTTP API');
    output('AdminUrl', `${publicUrl}/admin`, 'The staff admin page');
    output('PortalUrl', `${publicUrl}/portal/{shopId}`, "A shop's customer portal");
    const webhookBase = this.webhookEdge ? `https://${this.webhookEdge.distributionDomainName}` : publicUrl;
    output(
      'WebhookUrlPattern',
      `${webhookBase}/webhooks/{provider}/{shopId}`,
      'Where each provider posts its webhooks (docs/connectors.md)',
    );
    output('StaffUserPoolId', identity?.pool.userPoolId ?? 'external', 'Cognito pool staff sign in with');
    output('StaffClientId', identity?.client.userPoolClientId ?? 'external', "The admin page's app client");
    output('TableName', this.table.tableName, 'The DynamoDB table');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic every alarm notifies');
    output(
      'MailConfigurationSet',
      mailConfiguration.configurationSetName,
      'SES configuration set shops send with (bounces and complaints reach mail-feedback)',
    );
    output(
      'SecretsKeyId',
      this.secretsKey.keyArn,
      'KMS key connector and channel secrets are encrypted with',
    );
    for (const spec of queues) {
      const { queue, dlq } = this.queues.get(spec.name)!;
      const name = spec.name[0]!.toUpperCase() + spec.name.slice(1);
      output(`QueueUrl${name}`, queue.queueUrl, `The ${spec.name} queue`);
      output(`DeadLetterUrl${name}`, dlq.queueUrl, `The ${spec.name} dead-letter queue`);
    }
    if (config.smsSenderId)
      output('SmsSenderId', config.smsSenderId, 'Default SMS sender id for shop channels');
    if (config.smtpSecretName)
      output('SmtpSecretName', config.smtpSecretName, 'Secrets Manager secret with SMTP credentials');
  }

  /** The Cognito pool staff sign in with; `custom:shop_id` and the groups become the ID token's claims. */
  private staffPool(removalPolicy: RemovalPolicy) {
    const pool = new UserPool(this, 'StaffPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // The tenant key: set once when the CLI creates the user, never changed by anyone after.
      customAttributes: { shop_id: new StringAttribute({ mutable: false, minLen: 2, maxLen: 63 }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // TOTP when a user has enrolled one (the admin page asks for the code); SMS MFA is not offered.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    suppress(pool, {
      'AwsSolutions-COG2':
        'MFA is optional (TOTP): the admin page answers a TOTP challenge but cannot enrol one yet, so required MFA would lock out every new user. Enrolment is in docs/deploy.md.',
      'AwsSolutions-COG3':
        'Threat protection needs the Cognito Plus plan (priced per active user); a handful of admin-created staff users with strong passwords do not justify it. Revisit with many users.',
      'AwsSolutions-COG8':
        'The Plus feature plan (threat protection) is priced per active user; see COG3. The Essentials plan with admin-created users and strong passwords is used.',
    });
    for (const group of ['staff', 'manager']) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: pool.userPoolId, groupName: group });
    }
    // Staff sign in with SRP from the admin page; no hosted-UI OAuth flows are offered. Staff may
    // change their own email and name, never custom:shop_id (it is not among the write attributes).
    const client = new UserPoolClient(this, 'AdminClient', {
      userPool: pool,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('shop_id'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
    return { pool, client, issuer: `https://cognito-idp.${this.region}.amazonaws.com/${pool.userPoolId}` };
  }

  private httpApi(
    config: DeployConfig,
    issuer: string,
    audience: string[],
    logRetention: RetentionDays,
    removalPolicy: RemovalPolicy,
  ): HttpApi {
    const api = new HttpApi(this, 'Api', {
      description: `aftersale ${config.stage}: webhooks, customer API and pages, admin API`,
      createDefaultStage: false,
      // With a custom domain the execute-api URL is switched off, so the WAF and domain are the only way in.
      ...(config.domainName && { disableExecuteApiEndpoint: true }),
      ...(config.adminOrigin && {
        corsPreflight: {
          allowOrigins: [config.adminOrigin],
          allowMethods: cors.allowMethods.map((m) => CorsHttpMethod[m]),
          allowHeaders: cors.allowHeaders,
          maxAge: Duration.seconds(cors.maxAgeSeconds),
        },
      }),
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: logRetention, removalPolicy });
    const domain = config.domainName
      ? new DomainName(this, 'Domain', {
          domainName: config.domainName,
          certificate: Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn!),
        })
      : undefined;
    const stage = new HttpStage(this, 'Stage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      ...(domain && { domainMapping: { domainName: domain } }),
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // JSON, one line per request; no query strings, headers or bodies (they may carry tokens).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    // Per-route throttling (the L2 stage has only the default).
    const routeSettings = Object.fromEntries(
      routes.flatMap((route) => {
        const rule = ROUTE_THROTTLE.find((r) => route.path.startsWith(r.prefix));
        return rule
          ? [
              [
                `${route.method} ${route.path}`,
                // Raw CloudFormation (the property is free-form JSON): its own capitalisation.
                { ThrottlingRateLimit: rule.rate, ThrottlingBurstLimit: rule.burst },
              ],
            ]
          : [];
      }),
    );
    (stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    const authorizer = new HttpJwtAuthorizer('StaffJwt', issuer, { jwtAudience: audience });
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
      const [added] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        // Defence in depth: the gateway rejects bad tokens, the function checks them and the shop again.
        ...(isAdminRoute(route) && { authorizer }),
      });
      if (!isAdminRoute(route)) suppress(added!, { 'AwsSolutions-APIG4': publicReason(route) });
    }
    // The stage alarms: 5xx answers as a share of requests (at least a few, so one error at 3 am
    // is not 100%).
    const requests = new Metric({
      namespace: 'AWS/ApiGateway',
      metricName: 'Count',
      dimensionsMap: { ApiId: api.apiId, Stage: '$default' },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    const errors5xx = new Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensionsMap: { ApiId: api.apiId, Stage: '$default' },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    new Alarm(this, 'api-5xx-rate', {
      alarmDescription:
        'Over 1% of API requests answered 5xx in 5 minutes (at least 5 of them): see the access logs and the function alarms.',
      metric: new MathExpression({
        expression: 'IF(requests >= 20 AND errors >= 5, 100 * errors / requests, 0)',
        usingMetrics: { requests, errors: errors5xx },
        period: Duration.minutes(5),
        label: '5xx %',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(this.alarmTopic));

    this.webhookEdge = config.webhookWaf ? this.webhookWaf(config, api) : undefined;
    return api;
  }

  /**
   * WAF cannot be attached to an HTTP API stage, only to CloudFront (or REST APIs). With
   * `webhookWaf` the webhooks are published through a CloudFront distribution whose web ACL
   * blocks an address sending more than `webhookWafLimit` requests to /webhooks/* in 5 minutes;
   * WebhookUrlPattern then names the distribution. CloudFront web ACLs live in us-east-1, so the
   * config allows the switch only there (infra/config.ts).
   */
  private webhookWaf(config: DeployConfig, api: HttpApi): Distribution {
    const acl = new CfnWebACL(this, 'WebhookWaf', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: `aftersale-${config.stage}-waf`,
        sampledRequestsEnabled: true,
      },
      rules: [
        {
          name: 'webhook-rate-per-ip',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: config.webhookWafLimit,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: '/webhooks/',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'webhook-rate-per-ip',
            sampledRequestsEnabled: true,
          },
        },
      ],
    });
    const origin = config.domainName ?? `${api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    const distribution = new Distribution(this, 'WebhookEdge', {
      comment: `aftersale ${config.stage}: webhooks behind WAF`,
      defaultBehavior: {
        origin: new HttpOrigin(origin, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        // Every webhook reaches the API as it was sent (signatures are over the raw body and headers).
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: acl.attrArn,
    });
    suppress(distribution, {
      'AwsSolutions-CFR1':
        'Providers call from anywhere (Shopify, Douyin, carriers worldwide): no geo restriction.',
      'AwsSolutions-CFR3':
        'The API stage writes an access log line for every request the distribution forwards; a second log bucket would duplicate it.',
      'AwsSolutions-CFR4':
        'The default *.cloudfront.net certificate (its TLS policy is fixed by CloudFront): providers only need HTTPS to a stable URL; the origin is reached over TLS 1.2.',
    });
    return distribution;
  }
}

/** cdk-nag findings acknowledged on one construct, each rule with the reason it does not apply here. */
export function suppress(construct: IConstruct, reasons: Record<string, string>): void {
  Validations.of(construct).acknowledge(...Object.entries(reasons).map(([id, reason]) => ({ id, reason })));
}

/** What every function's role and configuration carries by design, with the reasons. */
function suppressFunction(built: AftersaleFunction, spec: FunctionSpec, tableId: string): void {
  if (spec.table?.actions.includes('Query'))
    suppress(built.role, {
      [`AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`]:
        'Query on the indexes of its own table (index/*): every index is an access pattern of the same tenant-prefixed items.',
    });
  if (spec.messaging)
    suppress(built.role, {
      'AwsSolutions-IAM5[Resource::*]':
        "ses:SendEmail from the shops' own verified identities (unknown at deploy; set sesIdentity to narrow it) and sns:Publish of SMS to phone numbers, which have no ARN.",
    });
  suppress(built.fn, {
    'Serverless-LambdaTracing':
      'X-Ray tracing is off: every log line carries the request and message ids (Powertools Logger), and tracing would add a Resource * grant and a per-trace cost.',
    ...(spec.name === 'sweep-timers' && {
      'Serverless-LambdaDLQ':
        'Failed asynchronous invocations go to its on-failure destination (sweep-failures), which keeps the whole invocation record, not only the event.',
    }),
    ...(spec.name !== 'sweep-timers' && {
      'Serverless-LambdaDLQ':
        'Invoked synchronously (API Gateway), by an SQS event source (the queue has its own DLQ) or by SNS (mail-feedback); nothing invokes it asynchronously to dead-letter.',
      'Serverless-LambdaAsyncFailureDestination':
        'Not invoked asynchronously except by SNS (mail-feedback, whose marks are best effort); the SQS consumers have DLQs on their queues.',
    }),
  });
}

/**
 * Grants exactly the topology's DynamoDB actions and sets TABLE_NAME together: each action on the
 * table, Query also on its indexes (the only action that reads them). Encryption under a
 * customer-managed key needs the key as well.
 */
function bindTable(fn: NodejsFunction, t: TableV2, actions: DynamoAction[], key?: Key): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: actions.map((a) => `dynamodb:${a}`),
      resources: [t.tableArn],
    }),
  );
  if (actions.includes('Query'))
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${t.tableArn}/index/*`] }),
    );
  if (key) {
    const writes = actions.some((a) => !['GetItem', 'BatchGetItem', 'Query'].includes(a));
    key.grant(
      fn as IGrantable,
      'kms:Decrypt',
      'kms:DescribeKey',
      ...(writes ? ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : []),
    );
    if (writes)
      suppress(fn.role!, {
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
          "DynamoDB asks for data keys of the table's own key (GenerateDataKey and GenerateDataKeyWithoutPlaintext) on the function's behalf.",
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]':
          "ReEncryptFrom/To on the table's own key only, as DynamoDB needs when it rewrites items under a rotated key.",
      });
  }
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
