// The bare client's popup callback page.
import { completePopup } from '../bare-client/callback.js';

completePopup();
