// SPDX-License-Identifier: Apache-2.0
// web/src/app/points/setup.js -- what every points page of the phone app needs
// before it renders: its strings (pointsApp, and the board's) and its styles.
// Imported by each points page, so both arrive with the first points page the
// user opens, not with the app's first page.
import { useMessages } from '../../shared/i18n.js';
import pointsApp from '../../shared/messages/pointsApp.js';
import pointsBoard from '../../shared/messages/pointsBoard.js';
import './points.css';

useMessages(pointsApp, pointsBoard);
