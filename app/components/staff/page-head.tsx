import { Link } from '@remix-run/react';

/**
 * The top of a staff page: the way back, the title (the h1 the page's section is labelled by) and,
 * beside it, what belongs with the title: the page's primary action, its status tags, an export.
 */
export function PageHead({
  id,
  title,
  back,
  children,
}: {
  /** The h1's id, for `<section aria-labelledby>`. */
  id: string;
  title: React.ReactNode;
  back?: { to: string; label: string };
  children?: React.ReactNode;
}) {
  const heading = <h1 id={id}>{title}</h1>;
  return (
    <>
      {back && (
        <p>
          <Link to={back.to}>{back.label}</Link>
        </p>
      )}
      {children ? (
        <div className="page-head">
          {heading}
          <p>{children}</p>
        </div>
      ) : (
        heading
      )}
    </>
  );
}
