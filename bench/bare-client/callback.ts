// The bare client's popup callback page: hand the authorization response URL to the opener
// (same origin only) and close. Validation happens in the opener, which holds state and nonce.
export function completePopup(): void {
  if (window.opener === null) return;
  (window.opener as Window).postMessage(location.href, location.origin);
  window.close();
}
