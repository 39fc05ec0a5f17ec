import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { fail } from './io.ts';

export type StaffRole = 'staff' | 'manager';

/** The claim the admin API takes the shop from (functions/lib/admin-auth.ts). */
const SHOP_ATTRIBUTE = 'custom:shop_id';

/**
 * Staff accounts in the stack's Cognito pool: one email, one shop (`custom:shop_id`), and the
 * group that is their role. Cognito mails the invitation with a temporary password.
 */
export class CognitoStaff {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  /*
   * Add a member of staff.
   * 1. create the user with the email (verified: the invitation goes there) and the shop
   * 2. an existing user is fine if they belong to the same shop (the role is then added);
   *    another shop's user is refused: a member of staff belongs to exactly one shop
   * 3. put them in the role's group
   */
  async add(input: { email: string; shopId: string; role: StaffRole }): Promise<{ created: boolean }> {
    let created = true;
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          // The pool signs in by email (infra/stack.ts), so the email is the username.
          Username: input.email,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: SHOP_ATTRIBUTE, Value: input.shopId },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (err) {
      if (!(err instanceof UsernameExistsException)) throw err;
      created = false;
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: input.email }),
      );
      const shop = user.UserAttributes?.find((a) => a.Name === SHOP_ATTRIBUTE)?.Value;
      if (shop !== input.shopId) {
        fail(
          `${input.email} is already ${shop ? `staff of shop ${shop}` : 'in the pool without a shop'}; ` +
            'a member of staff belongs to one shop: use another email',
        );
      }
    }
    await this.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: this.userPoolId,
        Username: input.email,
        GroupName: input.role,
      }),
    );
    return { created };
  }
}
