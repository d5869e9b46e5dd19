import { screen } from "../state/store.ts";
import { AttractScreen } from "./AttractScreen.tsx";
import { BootScreen } from "./BootScreen.tsx";
import { GoodsScreen } from "./GoodsScreen.tsx";
import { HouseholdScreen } from "./HouseholdScreen.tsx";
import { IdleDialog } from "./IdleDialog.tsx";
import { NoticeScreen } from "./NoticeScreen.tsx";
import { OfflineBanner } from "./OfflineBanner.tsx";
import { ReceiptScreen } from "./ReceiptScreen.tsx";
import { ReviewScreen } from "./ReviewScreen.tsx";
import { ScanScreen } from "./ScanScreen.tsx";
import { StaffLoginScreen } from "./StaffLoginScreen.tsx";
import { StaffScreen } from "./StaffScreen.tsx";
import { TopBar } from "./TopBar.tsx";

function CurrentScreen() {
  switch (screen.value) {
    case "boot":
      return <BootScreen />;
    case "unpaired":
      return <NoticeScreen icon="lock" title="boot.unpairedTitle" body="boot.unpairedBody" retry />;
    case "locked":
      return <NoticeScreen icon="lock" title="boot.lockedTitle" body="boot.lockedBody" retry />;
    case "attract":
      return <AttractScreen />;
    case "scan":
      return <ScanScreen />;
    case "household":
      return <HouseholdScreen />;
    case "goods":
      return <GoodsScreen />;
    case "review":
      return <ReviewScreen />;
    case "receipt":
      return <ReceiptScreen />;
    case "staff-login":
      return <StaffLoginScreen />;
    case "staff":
      return <StaffScreen />;
  }
}

export function App() {
  return (
    <div class={`app app-${screen.value}`}>
      <TopBar />
      <OfflineBanner />
      <CurrentScreen />
      <IdleDialog />
    </div>
  );
}
