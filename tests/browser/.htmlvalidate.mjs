// html-validate's recommended rules, with two exceptions that the browser checks cover better.
export default {
  extends: ['html-validate:recommended'],
  rules: {
    // Official office names are longer than 70 characters ("Exit-Entry Administration Office of Xuhui District
    // Public Security Branch, Shanghai Municipal Public Security Bureau"); a shortened <title> would misname
    // the office. The rule is about search results, not validity or access; the theme already drops the
    // site's name from titles that would pass 70 characters.
    'long-title': 'off',
    // The rule wants U+2011 instead of "-" in phone numbers, so the number does not wrap; but a copied
    // U+2011 breaks dialling. The stylesheet keeps every tel: link on one line instead, and check.test.mjs
    // checks that in the browser.
    'tel-non-breaking': 'off',
  },
};
