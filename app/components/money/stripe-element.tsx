import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface StripeLike {
  elements(opts: { clientSecret: string }): {
    create(kind: 'payment'): { mount(el: HTMLElement): void; destroy(): void };
  };
  confirmPayment(opts: {
    elements: unknown;
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string } }>;
}

declare global {
  interface Window {
    Stripe?: (key: string) => StripeLike;
  }
}

/**
 * Stripe's Payment Element: the card form lives in Stripe's frames (the card number never
 * touches our server). The outcome reaches us by webhook, the source of truth; the return page
 * shows whatever the webhook has recorded by then. Loaded only when Stripe is configured (the
 * CSP allows js.stripe.com then, see server/http/app.ts).
 */
export function StripePaymentElement({
  publishableKey,
  clientSecret,
  returnUrl,
}: {
  publishableKey: string;
  clientSecret: string;
  returnUrl: string;
}) {
  const { t } = useTranslation();
  const mountRef = useRef<HTMLElement>(null);
  const [stripe, setStripe] = useState<{
    s: StripeLike;
    elements: ReturnType<StripeLike['elements']>;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let element: { destroy(): void } | null = null;
    const start = () => {
      if (!window.Stripe || !mountRef.current) return;
      const s = window.Stripe(publishableKey);
      const elements = s.elements({ clientSecret });
      const payment = elements.create('payment');
      payment.mount(mountRef.current);
      element = payment;
      setStripe({ s, elements });
    };
    if (window.Stripe) start();
    else {
      const script = document.createElement('script');
      script.src = 'https://js.stripe.com/v3';
      script.onload = start;
      script.onerror = () => setError(t('pay.stripeUnavailable'));
      document.head.appendChild(script);
    }
    return () => element?.destroy();
  }, [publishableKey, clientSecret, t]);

  async function confirm() {
    if (!stripe) return;
    setBusy(true);
    const { error: e } = await stripe.s.confirmPayment({
      elements: stripe.elements,
      confirmParams: { return_url: new URL(returnUrl, window.location.href).toString() },
    });
    // Only reached on an immediate error; success navigates to return_url.
    setError(e?.message ?? t('pay.stripeUnavailable'));
    setBusy(false);
  }

  return (
    <div className="stack stripe-element">
      <section ref={mountRef} aria-label={t('pay.cardForm')} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button" disabled={!stripe || busy} onClick={confirm}>
        {t('pay.confirmCard')}
      </button>
    </div>
  );
}
