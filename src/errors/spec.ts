export interface ErrorSpec {
  /** HTTP status the edge renders this failure with. */
  status: number;
  /** Short, stable title (RFC 9457 `title`). */
  title: string;
}
