import { describe, expect, it } from 'vitest';
import {
  addressFacts,
  customerFacts,
  firstGiven,
  given,
  joinName,
} from '../../../functions/adapters/connectors/contact.ts';
import { shopify } from '../../../functions/adapters/connectors/shopify.ts';
import { taobao } from '../../../functions/adapters/connectors/taobao.ts';
import { woocommerce } from '../../../functions/adapters/connectors/woocommerce.ts';
import type { Connector } from '../../../functions/app/connectors.ts';
import { CanonicalEvent, type OrderFacts } from '../../../schemas/events.ts';
import { parseContext, rawRequest } from '../../support/requests.ts';

describe('contact helpers', () => {
  it('treats blank, null and missing alike, and trims what is given', () => {
    expect(given('  Li Lei ')).toBe('Li Lei');
    for (const blank of ['', '   ', null, undefined]) expect(given(blank)).toBeUndefined();
    expect(firstGiven('', null, ' ', 'b@example.com', 'c@example.com')).toBe('b@example.com');
    expect(firstGiven('', undefined)).toBeUndefined();
  });

  it('joins names, skipping blank parts', () => {
    expect(joinName('Li', 'Lei')).toBe('Li Lei');
    expect(joinName(' Li ', '')).toBe('Li');
    expect(joinName(null, 'Lei')).toBe('Lei');
    expect(joinName('', '  ', undefined)).toBeUndefined();
  });

  it('makes no customer and no address out of nothing', () => {
    expect(customerFacts({ email: '', phone: null, name: ' ' })).toBeUndefined();
    expect(addressFacts({ name: '', city: null, postalCode: undefined })).toBeUndefined();
  });

  it('keeps only the given fields, so a partial block never blanks a known one', () => {
    expect(
      customerFacts({ externalId: '42', email: ' buyer@example.com', phone: '', name: 'Li Lei' }),
    ).toEqual({
      externalId: '42',
      email: 'buyer@example.com',
      name: 'Li Lei',
    });
    expect(customerFacts({ acceptsMarketing: false })).toEqual({ acceptsMarketing: false });
    expect(addressFacts({ country: 'CN', city: '杭州', address1: '', postalCode: '310000' })).toEqual({
      country: 'CN',
      city: '杭州',
      postalCode: '310000',
    });
  });
});

/** The order facts of the first event a connector makes from `body`. */
function orderFactsOf(connector: Connector, body: object, headers: Record<string, string>): OrderFacts {
  const result = connector.parse(rawRequest(JSON.stringify(body), headers), parseContext('contact'));
  if (result.kind !== 'events') throw new Error(result.reason);
  const event = CanonicalEvent.parse(result.events[0]);
  if (!('order' in event) || !event.order) throw new Error(`${event.type} has no order facts`);
  return event.order;
}

describe('marketplace connectors share the contact rules', () => {
  const buyer = { first: ' Li ', last: 'Lei', email: 'li.lei@example.com', phone: '+86 138 0013 8000' };

  it('Shopify and WooCommerce give the same customer and address for the same buyer', () => {
    const shopifyOrder = orderFactsOf(
      shopify,
      {
        id: 1,
        created_at: '2026-11-20T10:00:00+08:00',
        currency: 'CNY',
        total_price: '10.00',
        email: buyer.email,
        phone: '',
        customer: { id: 7, first_name: buyer.first, last_name: buyer.last, phone: buyer.phone, email: '' },
        shipping_address: {
          first_name: buyer.first,
          last_name: buyer.last,
          phone: buyer.phone,
          address1: '西湖区文三路 1 号',
          address2: '',
          city: '杭州',
          province: '浙江',
          country_code: 'CN',
          zip: '310000',
        },
      },
      { 'x-shopify-topic': 'orders/updated' },
    );
    const wooOrder = orderFactsOf(
      woocommerce,
      {
        id: 1,
        status: 'on-hold',
        currency: 'CNY',
        total: '10.00',
        date_created_gmt: '2026-11-20T02:00:00',
        customer_id: 7,
        billing: { first_name: buyer.first, last_name: buyer.last, email: buyer.email, phone: '' },
        shipping: {
          first_name: buyer.first,
          last_name: buyer.last,
          phone: buyer.phone,
          address_1: '西湖区文三路 1 号',
          address_2: '',
          city: '杭州',
          state: '浙江',
          country: 'CN',
          postcode: '310000',
        },
        line_items: [],
      },
      { 'x-wc-webhook-topic': 'order.updated' },
    );
    const customer = { externalId: '7', email: buyer.email, phone: buyer.phone, name: 'Li Lei' };
    const address = {
      name: 'Li Lei',
      phone: buyer.phone,
      country: 'CN',
      province: '浙江',
      city: '杭州',
      address1: '西湖区文三路 1 号',
      postalCode: '310000',
    };
    expect(shopifyOrder.customer).toEqual(customer);
    expect(shopifyOrder.shippingAddress).toEqual(address);
    expect(wooOrder.customer).toEqual(customer);
    expect(wooOrder.shippingAddress).toEqual(address);
  });

  it('Shopify: an address block with nothing in it is no address', () => {
    const order = orderFactsOf(
      shopify,
      {
        id: 1,
        created_at: '2026-11-20T10:00:00+08:00',
        currency: 'CNY',
        total_price: '0.00',
        shipping_address: { first_name: '', last_name: null, address1: '', country_code: '' },
      },
      { 'x-shopify-topic': 'orders/updated' },
    );
    expect(order.shippingAddress).toBeUndefined();
    expect(order.customer).toBeUndefined();
  });

  it('Taobao: a buyer nick without an open uid is a customer with a name only', () => {
    const message = {
      topic: 'taobao_trade_TradeCreate',
      pub_time: '2026-11-20 10:15:00',
      content: JSON.stringify({ tid: '3937219703', buyer_nick: ' tb_buyer ', buyer_open_uid: '' }),
    };
    const order = orderFactsOf(taobao, message, {});
    expect(order.customer).toEqual({ name: 'tb_buyer' });
  });
});
